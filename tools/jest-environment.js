// Jest runs tests in a separate V8 realm; onnxruntime-node builds output tensors in Node's main realm, whose
// Float32Array then fails onnxruntime-common's `instanceof` check ("A float32 tensor's data must be type of
// Float32Array"). Sharing the main realm's binary-data constructors with the test realm makes both agree (plain
// Node has a single realm, so this only concerns tests).
'use strict';
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

class SharedTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) if (globalThis[name]) this.global[name] = globalThis[name];
  }
}

module.exports = SharedTypedArraysEnvironment;
