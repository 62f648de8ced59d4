// A one-line progress bar for TTYs (files, files/s, x-realtime, ETA). On a non-TTY it prints nothing,
// so piped/logged output stays parseable. No dependency: \r + ANSI clear-line.

export interface ProgressOptions {
  total: number;
  label?: string;
  stream?: NodeJS.WriteStream;
  /** Default: stream.isTTY. */
  enabled?: boolean;
  /** Minimum ms between redraws. */
  intervalMs?: number;
  /** Clock (ms), for tests. */
  now?: () => number;
}

export interface ProgressState {
  done: number;
  total: number;
  audioSeconds: number;
  elapsedSeconds: number;
  extra?: string;
}

export class ProgressBar {
  private done = 0;
  private audioSeconds = 0;
  private extra = '';
  private lastDraw = -Infinity;
  private readonly start: number;
  private readonly now: () => number;
  private readonly stream: NodeJS.WriteStream;
  readonly enabled: boolean;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    this.enabled = options.enabled ?? Boolean(this.stream.isTTY);
    this.now = options.now ?? (() => performance.now());
    this.start = this.now();
  }

  /** Count finished items (and the seconds of audio they held). */
  tick(items = 1, audioSeconds = 0, extra?: string): void {
    this.done += items;
    this.audioSeconds += audioSeconds;
    if (extra !== undefined) this.extra = extra;
    this.draw(false);
  }

  state(): ProgressState {
    return { done: this.done, total: this.options.total, audioSeconds: this.audioSeconds, elapsedSeconds: (this.now() - this.start) / 1000, extra: this.extra };
  }

  /** Removes the bar (call before printing anything else, and at the end). */
  clear(): void {
    if (this.enabled) this.stream.write('\r\x1b[2K');
  }

  finish(): void {
    this.draw(true);
    this.clear();
  }

  private draw(force: boolean): void {
    if (!this.enabled) return;
    const t = this.now();
    if (!force && t - this.lastDraw < (this.options.intervalMs ?? 100)) return;
    this.lastDraw = t;
    const width = Math.max(40, Math.min(this.stream.columns || 100, 160)); // columns is 0 on some pseudo-terminals
    this.stream.write(`\r\x1b[2K${renderProgress(this.state(), width, this.options.label)}`);
  }
}

/** The bar as text (pure; tested). */
export function renderProgress(s: ProgressState, width = 100, label = ''): string {
  const rate = s.elapsedSeconds > 0 ? s.done / s.elapsedSeconds : 0;
  const realtime = s.elapsedSeconds > 0 ? s.audioSeconds / s.elapsedSeconds : 0;
  const eta = rate > 0 && s.total > s.done ? (s.total - s.done) / rate : s.total > s.done ? NaN : 0;
  const stats = [
    `${s.done}/${s.total} files`,
    `${rate.toFixed(rate >= 100 ? 0 : 1)} files/s`,
    ...(s.audioSeconds > 0 ? [`${realtime.toFixed(0)}x realtime`] : []),
    `ETA ${formatDuration(eta)}`,
    ...(s.extra ? [s.extra] : []),
  ].join('  ');
  const prefix = label ? `${label} ` : '';
  const barWidth = Math.min(40, width - prefix.length - stats.length - 4);
  if (barWidth < 10) return `${prefix}${stats}`.slice(0, width - 1); // narrow terminal: the numbers matter more
  const frac = s.total > 0 ? Math.min(1, s.done / s.total) : 1;
  const filled = Math.round(frac * barWidth);
  return `${prefix}[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${stats}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(sec).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
