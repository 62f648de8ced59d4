// One-line progress bar for `melguard features` / `melguard analyze`.
import type { ExtractProgress } from './extract';

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** e.g. "[#########-----------]  812/1783 files  143.2 files/s  2210x realtime  ETA 0:07  (3 failed)" */
export function formatProgress(p: ExtractProgress, width = 24): string {
  const frac = p.total > 0 ? Math.min(1, p.files / p.total) : 1;
  const filled = Math.round(frac * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const parts = [
    bar,
    `${String(p.files).padStart(String(p.total).length)}/${p.total} files`,
    `${p.filesPerSec.toFixed(1)} files/s`,
    `${Math.round(p.xRealtime)}x realtime`,
    `ETA ${formatDuration(p.etaSeconds)}`,
  ];
  const notes = [p.reused > 0 ? `${p.reused} cached` : '', p.failed > 0 ? `${p.failed} failed` : ''].filter((s) => s !== '');
  return parts.join('  ') + (notes.length > 0 ? `  (${notes.join(', ')})` : '');
}
