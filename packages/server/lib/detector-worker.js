// Worker-thread host for a detector (plain CommonJS so it loads from src/ under jest and from dist/ alike).
// The main thread keeps the HTTP event loop free; ONNX Runtime's run() is synchronous in onnxruntime-node
// (its async wrapper only defers it with setImmediate), so it runs here instead.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');

const { factory, options } = workerData;
const pending = new Map(); // id -> AbortController
const queueView = new Int32Array(workerData.queueBuffer);

function serializeError(err) {
  const e = err || {};
  return { code: typeof e.code === 'string' ? e.code : 'E_INTERNAL', message: typeof e.message === 'string' ? e.message : String(err) };
}

async function main() {
  let detector;
  try {
    detector = await require(factory).loadDetector(options);
  } catch (err) {
    parentPort.postMessage({ type: 'load-error', error: serializeError(err) });
    return;
  }
  detector.onBatch((e) => parentPort.postMessage({ type: 'batch', size: e.size, seconds: e.seconds }));
  const publishQueue = () => Atomics.store(queueView, 0, detector.queueLength() | 0);
  const timer = setInterval(publishQueue, 50);

  parentPort.on('message', async (msg) => {
    if (msg.type === 'abort') {
      pending.get(msg.id)?.abort();
      return;
    }
    if (msg.type === 'dispose') {
      clearInterval(timer);
      try {
        await detector.dispose();
      } finally {
        parentPort.postMessage({ type: 'disposed' });
        parentPort.close();
      }
      return;
    }
    if (msg.type !== 'detect') return;
    const controller = new AbortController();
    pending.set(msg.id, controller);
    try {
      const result = await detector.detectBuffer(new Uint8Array(msg.data), { ...msg.options, signal: controller.signal });
      parentPort.postMessage({ type: 'result', id: msg.id, result });
    } catch (err) {
      parentPort.postMessage({ type: 'result', id: msg.id, error: serializeError(err) });
    } finally {
      pending.delete(msg.id);
      publishQueue();
    }
  });
  parentPort.postMessage({ type: 'ready', card: detector.modelCard() });
}

main();
