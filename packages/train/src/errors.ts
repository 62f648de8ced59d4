// Typed training errors: callers (CLI, tests) switch on `code`, never on messages.

export type TrainErrorCode =
  | 'E_BAD_OPTION'
  | 'E_EMPTY_STORE'
  | 'E_PRESET_MISMATCH'
  | 'E_SPLIT'
  | 'E_ONE_CLASS'
  | 'E_NO_CHECKPOINT'
  | 'E_CHECKPOINT_CORRUPT'
  | 'E_CHECKPOINT_MISMATCH'
  | 'E_NO_MODEL'
  | 'E_BAD_MODEL'
  | 'E_BACKEND'
  | 'E_AUGMENT_UNAVAILABLE'
  | 'E_ENSEMBLE_MISMATCH';

export class TrainError extends Error {
  readonly code: TrainErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: TrainErrorCode, message: string, opts: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'TrainError';
    this.code = code;
    if (opts.details !== undefined) this.details = opts.details;
  }
}
