// Opening the ONNX Runtime session with the requested execution provider, CUDA when asked for and available.
import * as ort from 'onnxruntime-node';
import { MelguardError } from './errors';

export type ExecutionProviderChoice = 'cpu' | 'cuda' | 'auto';
export type ActiveProvider = 'cpu' | 'cuda';

/** How to get the CUDA build of ONNX Runtime; quoted by the error and the warning. */
export const CUDA_INSTALL_HINT =
  'To use the GPU, reinstall onnxruntime-node with its CUDA provider: ' +
  '`ONNXRUNTIME_NODE_INSTALL=cuda12 npm install onnxruntime-node` (Linux x64), and make sure the NVIDIA driver, ' +
  'the CUDA 12 runtime and cuDNN 9 libraries are installed and on the library path (LD_LIBRARY_PATH).';

export const CUDA_WARNING_CODE = 'MELGUARD_CUDA_UNAVAILABLE';

// One warning per process, however many detectors fall back.
let cudaWarned = false;

export interface SessionSettings {
  executionProvider: ExecutionProviderChoice;
  /** Intra-op threads (parallelism inside one operator). */
  threads: number;
}

export interface OpenedSession {
  session: ort.InferenceSession;
  provider: ActiveProvider;
}

function cpuOptions(threads: number): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    // One run at a time per session (the micro-batcher serialises runs): no inter-op pool needed.
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
}

/**
 * Creates the session. 'cuda' and 'auto' ask for ['cuda', 'cpu'] (ops CUDA lacks still run on CPU);
 * when ORT cannot load the CUDA provider, 'auto' falls back to CPU with one process warning
 * (code MELGUARD_CUDA_UNAVAILABLE) and 'cuda' throws MelguardError E_CUDA_UNAVAILABLE with the install hint.
 */
export async function openSession(model: Uint8Array, settings: SessionSettings, source: string): Promise<OpenedSession> {
  const { executionProvider, threads } = settings;
  if (executionProvider !== 'cpu') {
    try {
      const session = await ort.InferenceSession.create(model, {
        ...cpuOptions(threads),
        executionProviders: ['cuda', 'cpu'],
      });
      return { session, provider: 'cuda' };
    } catch (err) {
      const reason = (err as Error).message;
      if (!isProviderFailure(reason)) throw loadError(err, source);
      if (executionProvider === 'cuda') {
        throw new MelguardError(
          'E_CUDA_UNAVAILABLE',
          `executionProvider 'cuda' was requested but ONNX Runtime cannot load its CUDA provider. ${CUDA_INSTALL_HINT} (ONNX Runtime said: ${reason})`,
          { cause: err },
        );
      }
      if (!cudaWarned) {
        cudaWarned = true;
        process.emitWarning(`ONNX Runtime cannot load its CUDA provider: running inference on the CPU. ${CUDA_INSTALL_HINT} (ONNX Runtime said: ${reason})`, {
          type: 'MelguardWarning',
          code: CUDA_WARNING_CODE,
        });
      }
    }
  }
  try {
    return { session: await ort.InferenceSession.create(model, cpuOptions(threads)), provider: 'cpu' };
  } catch (err) {
    throw loadError(err, source);
  }
}

// A CUDA attempt fails either because the provider cannot be loaded/registered (fall back) or because the model
// itself is bad (a CPU session would fail the same way: report it as a model error, not a CUDA problem).
function isProviderFailure(message: string): boolean {
  return /cuda|provider|shared librar|\.so|dll/i.test(message);
}

function loadError(err: unknown, source: string): MelguardError {
  return new MelguardError('E_MODEL_LOAD', `${source}: ONNX Runtime cannot load the model: ${(err as Error).message}`, { cause: err });
}
