// Bad input to a plot function -> TypeError (wrong kind of value) or RangeError (right kind,
// unusable value), both carrying the stable code shared with the native engine.
export const INVALID_ARG = 'E_INVALID_ARG';

export type PlotError = (TypeError | RangeError) & { code: string };

export function typeError(where: string, message: string): PlotError {
  return Object.assign(new TypeError(`${where}: ${message}`), { code: INVALID_ARG });
}

export function rangeError(where: string, message: string): PlotError {
  return Object.assign(new RangeError(`${where}: ${message}`), { code: INVALID_ARG });
}
