// Shared jest settings: TypeScript through SWC (fast, no type-check: `npm run build` type-checks),
// and workspace packages resolved to their sources so tests never need a prior build of siblings.
const path = require('path');
const root = __dirname;
module.exports = {
  // Node's typed-array constructors shared with the test realm (onnxruntime-node checks instanceof).
  testEnvironment: path.join(root, 'tools/jest-environment.js'),
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  transformIgnorePatterns: ['/node_modules/'],
  moduleNameMapper: {
    '^@melguard/native$': path.join(root, 'native/index.js'),
    '^@melguard/(dsp|plot|metrics|corpus|train|infer|cli|server)$': path.join(root, 'packages/$1/src/index.ts'),
  },
  testMatch: ['**/test/**/*.test.ts'],
  testTimeout: 120000,
};
