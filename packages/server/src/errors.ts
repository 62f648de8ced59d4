// One place that turns any failure into an HTTP status and a stable `{error: {code, message}}` body.
// Bad input never maps to 500: only failures we cannot attribute to the request do.

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Engine / inference error codes -> HTTP status. */
const STATUS_BY_CODE: Record<string, number> = {
  // the upload itself
  E_BODY_TOO_LARGE: 413,
  FST_ERR_CTP_BODY_TOO_LARGE: 413,
  FST_REQ_FILE_TOO_LARGE: 413,
  FST_FILES_LIMIT: 413,
  FST_PARTS_LIMIT: 413,
  FST_FIELDS_LIMIT: 413,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 415,
  FST_INVALID_MULTIPART_CONTENT_TYPE: 415,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 400,
  FST_ERR_CTP_EMPTY_JSON_BODY: 400,
  FST_PROTO_VIOLATION: 400,
  FST_NO_FORM_DATA: 400,
  E_BAD_REQUEST: 400,
  E_NO_FILE: 400,
  // the audio (codes from the native engine, see native/src/errors.h)
  E_UNSUPPORTED: 415,
  E_CORRUPT: 422,
  E_EMPTY: 422,
  E_TOO_SHORT: 422,
  E_DECODE: 422,
  E_INVALID_AUDIO: 422,
  E_INVALID_ARG: 422, // query options are checked before the detector: what it rejects is the audio
  E_TOO_LONG: 413,
  E_TOO_LARGE: 413,
  // capacity
  E_OVERLOADED: 503,
  E_SHUTTING_DOWN: 503,
  E_NOT_READY: 503,
  E_DETECTOR_UNAVAILABLE: 503,
  E_TIMEOUT: 504,
  E_ABORTED: 504,
  E_DISPOSED: 503,
};

export function statusForCode(code: string | undefined): number | undefined {
  return code === undefined ? undefined : STATUS_BY_CODE[code];
}

export interface ErrorBody {
  error: { code: string; message: string };
}

export interface MappedError {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

/** fastify / multipart codes renamed to ours, with messages that name the limit. */
function normalize(err: unknown, limits: { maxBodyBytes?: number }): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  const limit = limits.maxBodyBytes === undefined ? 'the size limit' : `the ${formatBytes(limits.maxBodyBytes)} limit (max body)`;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return new ApiError(413, 'E_BODY_TOO_LARGE', `upload exceeds ${limit}`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new ApiError(415, 'E_UNSUPPORTED_MEDIA_TYPE', 'send audio/*, application/octet-stream or multipart/form-data with a "file" field');
    default:
      return err;
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${+(n / (1024 * 1024)).toFixed(2)} MB` : n >= 1024 ? `${+(n / 1024).toFixed(1)} KB` : `${n} bytes`;
}

/** Maps any thrown value to a response. Unknown errors become 500 E_INTERNAL (and are logged by the caller). */
export function mapError(thrown: unknown, limits: { maxBodyBytes?: number } = {}): MappedError {
  const err = normalize(thrown, limits);
  if (err instanceof ApiError) {
    return { status: err.statusCode, body: { error: { code: err.code, message: err.message } }, headers: err.headers };
  }
  const e = (err ?? {}) as { code?: unknown; message?: unknown; statusCode?: unknown; validation?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' && e.message ? e.message : 'request failed';
  const known = statusForCode(code);
  if (known !== undefined) return { status: known, body: { error: { code: code!, message } }, headers: {} };
  // fastify's own client errors (4xx) keep their status; validation errors get a stable code
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    return { status, body: { error: { code: code ?? (e.validation ? 'E_BAD_REQUEST' : `E_HTTP_${status}`), message } }, headers: {} };
  }
  return { status: 500, body: { error: { code: 'E_INTERNAL', message: 'internal error' } }, headers: {} };
}
