// Every bad input raises a RangeError/TypeError carrying a stable `code`, so callers can branch without parsing text.

export type MetricsErrorCode =
  | 'E_METRICS_TYPE'
  | 'E_METRICS_EMPTY'
  | 'E_METRICS_LENGTH'
  | 'E_METRICS_NAN'
  | 'E_METRICS_LABEL'
  | 'E_METRICS_ONE_CLASS'
  | 'E_METRICS_THRESHOLD';

export type CodedError = Error & { code: MetricsErrorCode };

export function typeError(code: MetricsErrorCode, message: string): CodedError {
  return Object.assign(new TypeError(message), { code });
}

export function rangeError(code: MetricsErrorCode, message: string): CodedError {
  return Object.assign(new RangeError(message), { code });
}
