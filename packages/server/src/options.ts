// Server options with defaults and validation (a bad option is a TypeError/RangeError naming it).
import os from 'node:os';
import type { FastifyServerOptions } from 'fastify';
import type { DetectorLike } from './types';

export interface ServerOptions {
  detector: DetectorLike;
  /** Largest accepted upload (raw body or multipart file), bytes. Default 25 MB. */
  maxBodyBytes?: number;
  /** Longest accepted audio, seconds. Default 600. */
  maxDurationSeconds?: number;
  /** Requests inside the detector at once (their windows are micro-batched together). Default 8 x cores. */
  concurrency?: number;
  /** Requests allowed to wait for a slot before new ones get 503. Default 4 x concurrency. */
  maxQueue?: number;
  /** Deadline from a fully received body to the response (queue + decode + inference), ms. Default 30 000. */
  requestTimeoutMs?: number;
  /** Deadline for receiving a whole request (slow uploads), ms. Default 60 000. */
  uploadTimeoutMs?: number;
  /** fastify/pino logger settings; false disables logging. Default: info level JSON to stdout. */
  logger?: FastifyServerOptions['logger'];
  /** Node/process metrics (RSS, event-loop lag, GC) in /metrics. Default true. */
  defaultMetrics?: boolean;
}

export type ResolvedServerOptions = Required<Omit<ServerOptions, 'logger'>> & { logger: FastifyServerOptions['logger'] };

export const MB = 1024 * 1024;

export function resolveServerOptions(options: ServerOptions): ResolvedServerOptions {
  if (!options || typeof options !== 'object') throw new TypeError('createServer: options must be an object');
  const d = options.detector;
  if (!d || typeof d.detectBuffer !== 'function') throw new TypeError('createServer: options.detector must implement detectBuffer()');
  const concurrency = positiveInt('concurrency', options.concurrency ?? 8 * Math.max(1, os.availableParallelism()), 1, 4096);
  return {
    detector: d,
    maxBodyBytes: positiveInt('maxBodyBytes', options.maxBodyBytes ?? 25 * MB, 1, 2 ** 31 - 1),
    maxDurationSeconds: positiveNumber('maxDurationSeconds', options.maxDurationSeconds ?? 600),
    concurrency,
    maxQueue: positiveInt('maxQueue', options.maxQueue ?? 4 * concurrency, 0, 1_000_000),
    requestTimeoutMs: positiveInt('requestTimeoutMs', options.requestTimeoutMs ?? 30_000, 1, 3_600_000),
    uploadTimeoutMs: positiveInt('uploadTimeoutMs', options.uploadTimeoutMs ?? 60_000, 1, 3_600_000),
    logger: options.logger ?? { level: 'info' },
    defaultMetrics: options.defaultMetrics ?? true,
  };
}

function positiveInt(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`${name} must be an integer, got ${String(value)}`);
  if (value < min || value > max) throw new RangeError(`${name} must be in [${min}, ${max}], got ${value}`);
  return value;
}

function positiveNumber(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${name} must be a finite number, got ${String(value)}`);
  if (value <= 0) throw new RangeError(`${name} must be > 0, got ${value}`);
  return value;
}
