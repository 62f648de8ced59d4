// Request bodies: raw audio (audio/* or application/octet-stream) or multipart/form-data with a `file` field.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { ApiError } from './errors';
import type { Aggregate } from './types';

export interface Upload {
  data: Buffer;
  filename: string;
}

/** Replaces fastify's JSON/text parsers: /v1/detect takes audio only, anything else is a 415. */
export async function registerBodyParsers(app: FastifyInstance, maxBodyBytes: number): Promise<void> {
  app.removeAllContentTypeParsers();
  for (const type of ['application/octet-stream', /^audio\/[\w.+-]+$/i]) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (_req, body, done) => done(null, body));
  }
  await app.register(multipart, {
    limits: { fileSize: maxBodyBytes, files: 1, fields: 16, parts: 32, fieldSize: 64 * 1024 },
    throwFileSizeLimit: true,
  });
}

export async function readUpload(req: FastifyRequest): Promise<Upload> {
  if (req.isMultipart()) return readMultipart(req);
  const body = req.body;
  if (!Buffer.isBuffer(body)) {
    throw new ApiError(415, 'E_UNSUPPORTED_MEDIA_TYPE', 'send the audio as the request body (audio/* or application/octet-stream) or as multipart/form-data field "file"');
  }
  return { data: body, filename: '<body>' };
}

async function readMultipart(req: FastifyRequest): Promise<Upload> {
  let upload: Upload | undefined;
  for await (const part of req.parts()) {
    if (part.type !== 'file') continue;
    if (part.fieldname === 'file' && !upload) {
      upload = { data: await part.toBuffer(), filename: part.filename || '<file>' };
    } else {
      part.file.resume(); // drain parts we do not use
    }
  }
  if (!upload) throw new ApiError(400, 'E_NO_FILE', 'multipart body has no file field named "file"');
  return upload;
}

export interface DetectQuery {
  aggregate: Aggregate;
  windows: boolean;
}

/** Validates ?aggregate=mean|max|topk:K&windows=true|false. */
export function parseDetectQuery(query: unknown): DetectQuery {
  const q = (query ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(q)) {
    if (key !== 'aggregate' && key !== 'windows') throw new ApiError(400, 'E_BAD_REQUEST', `unknown query parameter "${key}" (allowed: aggregate, windows)`);
  }
  const aggregate = parseAggregate(single(q.aggregate, 'aggregate') ?? 'mean');
  const w = single(q.windows, 'windows');
  if (w !== undefined && !['true', 'false', '1', '0'].includes(w)) {
    throw new ApiError(400, 'E_BAD_REQUEST', `windows must be true or false, got "${w}"`);
  }
  return { aggregate, windows: w === 'true' || w === '1' };
}

export function parseAggregate(value: string): Aggregate {
  if (value === 'mean' || value === 'max') return value;
  const m = /^topk:(\d{1,6})$/.exec(value);
  if (m && Number(m[1]) >= 1) return `topk:${Number(m[1])}`;
  throw new ApiError(400, 'E_BAD_REQUEST', `aggregate must be mean, max or topk:K with K >= 1, got "${value}"`);
}

function single(v: unknown, name: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ApiError(400, 'E_BAD_REQUEST', `${name} must be given once`);
  return v;
}
