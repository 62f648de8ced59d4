'use strict';
// Loads melguard's native addon (build/Release/melguard.node). When it is missing or cannot be loaded, throws an
// Error with code E_NATIVE_LOAD that says why and how to build it.
const fs = require('fs');
const path = require('path');

const addonPath = path.join(__dirname, 'build', 'Release', 'melguard.node');

function loadError(cause) {
  const missing = !fs.existsSync(addonPath);
  const lines = [
    missing
      ? `melguard: the native addon has not been built (${addonPath} does not exist).`
      : `melguard: the native addon at ${addonPath} could not be loaded: ${cause && cause.message}`,
    'Build it from the repository root with one of:',
    '  npm run build            (everything, including system packages via tools/setup.sh)',
    '  bash tools/setup.sh      (system packages, npm dependencies and all builds)',
    '  cd native && npx cmake-js compile --directory . --out build --config Release',
  ];
  if (!missing) {
    lines.push(
      `It was probably built for another Node.js/platform, or a system library is missing (this is Node ${process.version}, ` +
        `${process.platform}-${process.arch}; it needs libkissfft-float, libsndfile and libsoxr). Rebuild it as above.`,
    );
  }
  const error = new Error(lines.join('\n'));
  error.code = 'E_NATIVE_LOAD';
  error.cause = cause;
  return error;
}

let binding;
try {
  binding = require(addonPath);
} catch (cause) {
  throw loadError(cause);
}

module.exports = { ...binding, binding, addonPath };
