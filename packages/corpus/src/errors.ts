// Typed errors with stable codes: callers (CLI, server, training) switch on `code`, never on messages.

export type CorpusErrorCode =
  | 'ENOENT'
  | 'E_EMPTY_CORPUS'
  | 'E_LAYOUT'
  | 'E_BAD_MANIFEST'
  | 'E_BAD_PROTOCOL'
  | 'E_MISSING_FILES'
  | 'E_SPLIT'
  | 'E_BAD_SPLIT'
  | 'E_NO_STORE'
  | 'E_CORRUPT_STORE'
  | 'E_STORE_MISMATCH'
  | 'E_STORE_LOCKED'
  | 'E_NO_LABELS'
  | 'E_ABORTED'
  | 'E_BAD_ARGUMENT'
  | 'E_EXTRACTOR';

export class CorpusError extends Error {
  readonly code: CorpusErrorCode;
  readonly path?: string;
  /** Extra machine-readable detail, e.g. the full list of missing files. */
  readonly details?: Record<string, unknown>;

  constructor(code: CorpusErrorCode, message: string, opts: { path?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'CorpusError';
    this.code = code;
    if (opts.path !== undefined) this.path = opts.path;
    if (opts.details !== undefined) this.details = opts.details;
  }
}

/** Lists at most `max` items in a message; the full list goes into `details`. */
export function listForMessage(items: string[], max = 5): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} … (+${items.length - max} more)` : shown;
}

export function errorCode(err: unknown, fallback = 'E_UNKNOWN'): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.length > 0 ? code : fallback;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
