// Training curves as a PNG (loss and error rates per epoch) via @melguard/plot.
import { linePlotPng } from '@melguard/plot';
import type { EpochRecord } from './train';

export function curvesPng(history: readonly EpochRecord[], title: string): Buffer {
  const x = history.map((h) => h.epoch);
  return linePlotPng({
    title,
    x: { label: 'epoch', min: x.length > 1 ? x[0] : 0, max: x.length > 1 ? x[x.length - 1] : Math.max(1, x[0] ?? 1) },
    y: { label: 'loss / error rate', min: 0 },
    series: [
      { label: 'train loss (class-weighted)', x, y: history.map((h) => h.train.loss) },
      { label: 'val loss', x, y: history.map((h) => h.val.loss), dashed: true },
      { label: 'train error (1 - acc)', x, y: history.map((h) => 1 - h.train.accuracy) },
      { label: 'val EER (window)', x, y: history.map((h) => h.val.windowEer) },
      { label: 'val EER (clip)', x, y: history.map((h) => h.val.clipEer) },
    ],
  });
}
