// createServer(options) -> a fastify instance (not yet listening) serving the detection API.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Admission } from './admission';
import { ApiError, mapError } from './errors';
import { createMetrics } from './metrics';
import { resolveServerOptions, type ServerOptions } from './options';
import { parseDetectQuery, readUpload, registerBodyParsers } from './upload';
import type { DetectionResult } from './types';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function createServer(options: ServerOptions): FastifyInstance {
  const opts = resolveServerOptions(options);
  const { detector } = opts;
  const admission = new Admission(opts.concurrency, opts.maxQueue);
  const metrics = createMetrics(
    { queued: () => admission.queued, inFlight: () => admission.inFlight, detectorQueue: () => detector.queueLength() },
    { defaultMetrics: opts.defaultMetrics },
  );
  detector.onBatch((e) => metrics.batchSize.observe(e.size));
  const state = { closing: false };

  const app = Fastify({
    logger: opts.logger,
    bodyLimit: opts.maxBodyBytes,
    requestTimeout: opts.uploadTimeoutMs,
    return503OnClosing: false, // answered below with our JSON error shape
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });

  app.register(async (scope) => registerBodyParsers(scope, opts.maxBodyBytes).then(() => registerRoutes(scope)));

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    if (state.closing) {
      reply.header('connection', 'close');
      throw new ApiError(503, 'E_SHUTTING_DOWN', 'server is shutting down');
    }
  });
  app.addHook('onResponse', async (req, reply) => {
    const labels = { route: req.routeOptions.url ?? 'unmatched', method: req.method, status: String(reply.statusCode) };
    metrics.requests.inc(labels);
    metrics.latency.observe(labels, reply.elapsedTime / 1000);
  });
  app.addHook('onSend', async (_req, reply) => {
    // while draining, every answer closes its keep-alive connection so close() is not held open by idle sockets
    if (state.closing) reply.header('connection', 'close');
  });
  app.addHook('preClose', async () => {
    state.closing = true;
  });
  app.addHook('onClose', async () => {
    await detector.dispose();
  });

  app.setErrorHandler((err, req, reply) => {
    const mapped = mapError(err, { maxBodyBytes: opts.maxBodyBytes });
    if (mapped.status >= 500 && mapped.body.error.code === 'E_INTERNAL') req.log.error({ err }, 'unhandled error');
    else req.log.info({ code: mapped.body.error.code, status: mapped.status }, mapped.body.error.message);
    reply.code(mapped.status).headers(mapped.headers).send(mapped.body);
  });
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ error: { code: 'E_NOT_FOUND', message: `no route ${req.method} ${req.url}` } });
  });

  function registerRoutes(scope: FastifyInstance): void {
    scope.post('/v1/detect', detect);
    scope.get('/v1/model', async () => detector.modelCard());
    scope.get('/healthz', async () => ({ status: 'ok' }));
    scope.get('/readyz', async (_req, reply) => {
      const ready = !state.closing && !admission.saturated;
      const body = { status: ready ? 'ready' : 'not ready', closing: state.closing, in_flight: admission.inFlight, queued: admission.queued, max_queue: opts.maxQueue };
      return reply.code(ready ? 200 : 503).send(body);
    });
    scope.get('/metrics', async (_req, reply) => {
      reply.header('content-type', metrics.registry.contentType);
      return metrics.registry.metrics();
    });
  }

  async function detect(req: FastifyRequest, reply: FastifyReply) {
    const received = performance.now();
    const query = parseDetectQuery(req.query);
    const upload = await readUpload(req);
    if (upload.data.length === 0) throw new ApiError(422, 'E_EMPTY', 'the uploaded audio is empty (0 bytes)');

    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), opts.requestTimeoutMs);
    // a client that hangs up gives its queue place and its windows back (no work for nobody under overload)
    const onClose = () => {
      if (!reply.raw.writableFinished) deadline.abort();
    };
    reply.raw.once('close', onClose);
    try {
      const release = await admission.acquire(deadline.signal);
      const admitted = performance.now();
      let work: Promise<DetectionResult>;
      try {
        work = detector.detectBuffer(upload.data, {
          aggregate: query.aggregate,
          maxDurationSeconds: opts.maxDurationSeconds,
          signal: deadline.signal,
          filename: upload.filename,
        });
      } catch (err) {
        release();
        throw err;
      }
      // The slot is held until the detector really finishes, even after a timeout answered the client:
      // that keeps the work in the detector bounded by `concurrency`.
      work.then(release, release);
      const result = await untilAborted(work, deadline.signal, opts.requestTimeoutMs);
      const done = performance.now();
      observeStages(result, (admitted - received) / 1000);
      metrics.audioSeconds.inc(result.duration);
      const { windows, timing, ...rest } = result;
      return reply.send({
        request_id: req.id,
        ...rest,
        ...(query.windows ? { windows } : {}),
        timing: {
          total_ms: round(done - received),
          queue_ms: round(admitted - received),
          ...(timing?.decode !== undefined ? { decode_ms: round(timing.decode * 1000) } : {}),
          ...(timing?.features !== undefined ? { features_ms: round(timing.features * 1000) } : {}),
          ...(timing?.inference !== undefined ? { inference_ms: round(timing.inference * 1000) } : {}),
        },
      });
    } finally {
      clearTimeout(timer);
      reply.raw.off('close', onClose);
    }
  }

  function observeStages(result: DetectionResult, queueSeconds: number): void {
    metrics.stage.observe({ stage: 'queue' }, queueSeconds);
    const t = result.timing;
    if (t?.decode !== undefined) metrics.stage.observe({ stage: 'decode' }, t.decode);
    if (t?.features !== undefined) metrics.stage.observe({ stage: 'features' }, t.features);
    if (t?.inference !== undefined) metrics.stage.observe({ stage: 'inference' }, t.inference);
  }

  return app;
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal, timeoutMs: number): Promise<T> {
  if (signal.aborted) return Promise.reject(new ApiError(504, 'E_TIMEOUT', `request exceeded the ${timeoutMs} ms deadline`));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ApiError(504, 'E_TIMEOUT', `request exceeded the ${timeoutMs} ms deadline`));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
