// Chooses the TensorFlow.js backend for training: tfjs-node ('tensorflow') when the user installed it (it is
// not a dependency: it cannot install offline), else the wasm backend (XNNPACK, SIMD) with melguard's
// training kernels, else the plain-JS cpu backend. MELGUARD_TF_BACKEND=tensorflow|wasm|cpu forces one.
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { TrainError } from './errors';
import { registerWasmTrainingKernels } from './kernels';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** Human-readable line, e.g. "wasm (SIMD, 1 thread, 7 melguard kernels)". */
  description: string;
  simd?: boolean;
  threads?: number;
  /** Kernels melguard registered or replaced for this backend. */
  customKernels: string[];
}

export interface InitBackendOptions {
  /** Force a backend (default: MELGUARD_TF_BACKEND, else the fastest available). */
  backend?: BackendName;
  /** Where to print the chosen backend (default: stderr). Pass null to stay quiet. */
  log?: ((line: string) => void) | null;
}

let current: BackendInfo | null = null;

/** Loads @tensorflow/tfjs-node if it is installed and shares our tfjs-core; false otherwise. */
function loadTfjsNode(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node');
  } catch {
    return false;
  }
  try {
    // Not a dependency: resolved at run time only.
    require('@tensorflow/tfjs-node');
  } catch {
    return false;
  }
  // A tfjs-node built against another tfjs-core registers into that core's engine, not ours.
  return tf.findBackendFactory('tensorflow') != null;
}

function loadWasm(): typeof import('@tensorflow/tfjs-backend-wasm') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  if (tf.engine().registry['wasm'] === undefined) {
    try {
      wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
    } catch {
      // Already initialised elsewhere: its own paths worked.
    }
  }
  return wasm;
}

function describe(name: BackendName, customKernels: string[]): BackendInfo {
  if (name === 'wasm') {
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? (tf.env().getNumber('WASM_NUM_THREADS') || 0) : 1;
    return {
      name, simd, threads, customKernels,
      description: `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${threads === 1 ? '1 thread' : `${threads} threads`}, ${customKernels.length} melguard training kernels)`,
    };
  }
  if (name === 'tensorflow') return { name, customKernels, description: 'tensorflow (tfjs-node, native TensorFlow)' };
  return { name, customKernels, description: 'cpu (plain JavaScript; slow: install @tensorflow/tfjs-node or use wasm)' };
}

/** Selects and initialises the backend once per process; later calls return the same choice. */
export async function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  const wanted = opts.backend ?? (process.env.MELGUARD_TF_BACKEND as BackendName | undefined);
  if (wanted !== undefined && !['tensorflow', 'wasm', 'cpu'].includes(wanted)) {
    throw new TrainError('E_BACKEND', `unknown backend "${wanted}" (tensorflow | wasm | cpu)`);
  }
  if (current && (wanted === undefined || wanted === current.name) && tf.getBackend() === current.name) return current;
  const log = opts.log === undefined ? (line: string) => process.stderr.write(line + '\n') : opts.log;

  const order: BackendName[] = wanted ? [wanted] : ['tensorflow', 'wasm', 'cpu'];
  let chosen: BackendInfo | null = null;
  for (const name of order) {
    if (name === 'tensorflow' && !loadTfjsNode()) {
      if (wanted) throw new TrainError('E_BACKEND', 'backend "tensorflow" needs @tensorflow/tfjs-node (matching @tensorflow/tfjs 4.x), which is not installed');
      continue;
    }
    if (name === 'wasm') loadWasm();
    if (!(await tf.setBackend(name))) {
      if (wanted) throw new TrainError('E_BACKEND', `backend "${name}" failed to initialise`);
      continue;
    }
    await tf.ready();
    const kernels = name === 'wasm' ? registerWasmTrainingKernels() : [];
    chosen = describe(name, kernels);
    break;
  }
  if (!chosen) throw new TrainError('E_BACKEND', 'no TensorFlow.js backend could be initialised');
  current = chosen;
  log?.(`[melguard] tfjs backend: ${chosen.description}`);
  return chosen;
}

/** The backend chosen by initBackend, or null before it ran. */
export function currentBackend(): BackendInfo | null {
  return current;
}
