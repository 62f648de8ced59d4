// tfjs activation names -> IR activation ops ('linear' emits nothing).
import { layerLabel, OnnxExportError, type NamedLayer } from './errors';
import type { ActivationFn, ActivationOp } from './ir';

const SIMPLE: Record<string, ActivationFn> = {
  relu: 'relu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  selu: 'selu',
  softplus: 'softplus',
  softsign: 'softsign',
  hardSigmoid: 'hardSigmoid',
  swish: 'swish',
};

export const SUPPORTED_ACTIVATIONS = ['linear', 'relu6', 'elu', ...Object.keys(SIMPLE)];

export function activationOps(name: unknown, layer: NamedLayer): ActivationOp[] {
  if (name === undefined || name === null || name === 'linear') return [];
  const op = (fn: ActivationFn, alpha?: number): ActivationOp[] => [{ kind: 'activation', layer: layer.name, fn, alpha }];
  if (typeof name === 'string') {
    if (name in SIMPLE) return op(SIMPLE[name]);
    if (name === 'relu6') return op('clip', 6);
    if (name === 'elu') return op('elu', 1);
  }
  throw new OnnxExportError(
    'E_ONNX_UNSUPPORTED_CONFIG',
    `${layerLabel(layer)}: activation '${String(name)}' cannot be exported (supported: ${SUPPORTED_ACTIVATIONS.join(', ')})`,
  );
}
