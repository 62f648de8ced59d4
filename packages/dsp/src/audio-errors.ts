// Converts errors thrown by the native addon into MelguardError (placeholder until errors.ts is merged).
export function toMelguardError(error: unknown): unknown {
  return error;
}
