// CLI failures: a stable code, a message for humans, an exit code. Printed as `error [CODE]: message`.

/** Exit codes: 0 ok, 1 the run failed, 2 bad usage (arguments/options), 130 interrupted. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function usageError(message: string): CliError {
  return new CliError('E_USAGE', message, EXIT.usage);
}

/** code + message + exit code of anything thrown. Option validation (TypeError/RangeError from the engine) is a usage error. */
export function describeError(err: unknown): { code: string; message: string; exitCode: number; internal: boolean } {
  if (err instanceof CliError) return { code: err.code, message: err.message, exitCode: err.exitCode, internal: false };
  const e = (err ?? {}) as { code?: unknown; message?: unknown };
  const message = typeof e.message === 'string' && e.message ? e.message : String(err);
  if (typeof e.code === 'string' && e.code) {
    const usage = e.code === 'E_INVALID_ARG' || e.code === 'E_BAD_ARGUMENT' || e.code === 'E_INVALID_OPTION' || e.code === 'E_BAD_OPTION';
    return { code: e.code, message, exitCode: usage ? EXIT.usage : EXIT.failed, internal: false };
  }
  if (err instanceof TypeError || err instanceof RangeError) {
    // the engine validates options with TypeError/RangeError naming the option
    return { code: 'E_INVALID_OPTION', message, exitCode: EXIT.usage, internal: false };
  }
  return { code: 'E_INTERNAL', message, exitCode: EXIT.failed, internal: true };
}

export function formatError(err: unknown): string {
  const d = describeError(err);
  return `error [${d.code}]: ${d.message}`;
}
