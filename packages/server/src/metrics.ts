// Prometheus metrics, one registry per server instance (tests run several servers in one process).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServerMetrics {
  registry: Registry;
  requests: Counter<'route' | 'method' | 'status'>;
  latency: Histogram<'route' | 'method' | 'status'>;
  stage: Histogram<'stage'>;
  batchSize: Histogram;
  audioSeconds: Counter;
}

export interface QueueGauges {
  queued(): number;
  inFlight(): number;
  detectorQueue(): number;
}

export function createMetrics(gauges: QueueGauges, options: { defaultMetrics?: boolean } = {}): ServerMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'melguard_' });
  const requests = new Counter({
    name: 'melguard_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'melguard_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const stage = new Histogram({
    name: 'melguard_stage_seconds',
    help: 'Time per request in each stage (queue, decode, features, inference)',
    labelNames: ['stage'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'melguard_batch_size',
    help: 'Windows per ONNX Runtime run (micro-batches across requests)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128],
    registers: [registry],
  });
  const audioSeconds = new Counter({
    name: 'melguard_audio_seconds_total',
    help: 'Seconds of audio analysed',
    registers: [registry],
  });
  new Gauge({
    name: 'melguard_queue_length',
    help: 'Requests waiting for a detector slot',
    registers: [registry],
    collect() {
      this.set(gauges.queued());
    },
  });
  new Gauge({
    name: 'melguard_inflight_requests',
    help: 'Requests holding a detector slot',
    registers: [registry],
    collect() {
      this.set(gauges.inFlight());
    },
  });
  new Gauge({
    name: 'melguard_detector_queue_windows',
    help: 'Windows waiting for a micro-batch inside the detector',
    registers: [registry],
    collect() {
      this.set(gauges.detectorQueue());
    },
  });
  return { registry, requests, latency, stage, batchSize, audioSeconds };
}
