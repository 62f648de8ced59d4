// native/index.js: a missing or broken addon is a clear error (code E_NATIVE_LOAD) that says how to build it.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const INDEX = join(__dirname, '..', '..', '..', 'native', 'index.js');

function loadFrom(setup: (dir: string) => void): { code?: string; message: string } {
  const dir = mkdtempSync(join(tmpdir(), 'melguard-native-'));
  try {
    copyFileSync(INDEX, join(dir, 'index.js'));
    setup(dir);
    try {
      jest.isolateModules(() => require(join(dir, 'index.js')));
    } catch (error) {
      return error as { code?: string; message: string };
    }
    throw new Error('loading succeeded');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('missing addon: E_NATIVE_LOAD naming the path and the build commands', () => {
  const error = loadFrom(() => {});
  expect(error.code).toBe('E_NATIVE_LOAD');
  expect(error.message).toMatch(/has not been built .*melguard\.node does not exist/);
  expect(error.message).toMatch(/npm run build/);
  expect(error.message).toMatch(/bash tools\/setup\.sh/);
});

test('broken addon: E_NATIVE_LOAD with the loader\'s reason and a rebuild hint', () => {
  const error = loadFrom((dir) => {
    mkdirSync(join(dir, 'build', 'Release'), { recursive: true });
    writeFileSync(join(dir, 'build', 'Release', 'melguard.node'), 'not a shared library');
  });
  expect(error.code).toBe('E_NATIVE_LOAD');
  expect(error.message).toMatch(/could not be loaded: .+/);
  expect(error.message).toMatch(/Rebuild it/);
});
