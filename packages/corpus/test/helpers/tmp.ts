import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const made: string[] = [];

export function tmpDir(prefix = 'melguard-corpus-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

export function cleanupTmp(): void {
  while (made.length > 0) fs.rmSync(made.pop()!, { recursive: true, force: true });
}
