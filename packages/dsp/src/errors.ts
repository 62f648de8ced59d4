// Typed failures. Native errors (JS Errors with a `code`) become MelguardError; bad options become TypeError or
// RangeError (also carrying code 'E_INVALID_ARG') whose message names the option and the allowed values.

/** Stable error codes, mirrored from native/src/errors.h. */
export const ErrorCode = {
  NotFound: 'ENOENT',
  Access: 'EACCES',
  Unsupported: 'E_UNSUPPORTED',
  Corrupt: 'E_CORRUPT',
  Empty: 'E_EMPTY',
  TooLarge: 'E_TOO_LARGE',
  InvalidArg: 'E_INVALID_ARG',
  Encode: 'E_ENCODE',
  Internal: 'E_INTERNAL',
  TooShort: 'E_TOO_SHORT',
  NativeLoad: 'E_NATIVE_LOAD',
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

export class MelguardError extends Error {
  /** Stable machine-readable code (see ErrorCode). */
  readonly code: string;
  /** The file concerned, when there is one. */
  readonly path?: string;

  constructor(code: string, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MelguardError';
    this.code = code;
    if (options.path !== undefined) this.path = options.path;
  }
}

/** Converts anything thrown by the native addon into a MelguardError (already-typed errors pass through). */
export function toMelguardError(error: unknown): Error {
  if (error instanceof MelguardError || error instanceof TypeError || error instanceof RangeError) return error;
  // Duck-typed: errors made by the addon may come from another realm (vm contexts, jest), where instanceof fails.
  if (typeof error === 'object' && error !== null && typeof (error as Error).message === 'string') {
    const { code, path } = error as Error & { code?: unknown; path?: unknown };
    return new MelguardError(typeof code === 'string' ? code : ErrorCode.Internal, (error as Error).message, {
      path: typeof path === 'string' ? path : undefined,
      cause: error,
    });
  }
  return new MelguardError(ErrorCode.Internal, String(error), { cause: error });
}

/** Runs a native call, converting its failures. */
export function callNative<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw toMelguardError(error);
  }
}

/** Awaits a native promise, converting its failures. */
export async function awaitNative<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw toMelguardError(error);
  }
}

export type InvalidArgError = (TypeError | RangeError) & { code: typeof ErrorCode.InvalidArg };

/** A TypeError (wrong kind of value) with code E_INVALID_ARG. */
export function invalidType(message: string): InvalidArgError {
  return Object.assign(new TypeError(message), { code: ErrorCode.InvalidArg });
}

/** A RangeError (right kind, value not allowed) with code E_INVALID_ARG. */
export function invalidRange(message: string): InvalidArgError {
  return Object.assign(new RangeError(message), { code: ErrorCode.InvalidArg });
}
