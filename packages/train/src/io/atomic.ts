// Crash-safe writes: a reader sees the old file or the complete new one, never a torn write.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

const tmpName = (target: string) => `${target}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;

function fsyncPath(p: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; rename stays atomic there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Writes `data` to a temporary sibling, fsyncs it and renames it over `file`. */
export function writeFileAtomic(file: string, data: string | Uint8Array | readonly Uint8Array[]): void {
  const tmp = tmpName(file);
  const parts = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : data;
  try {
    const fd = fs.openSync(tmp, 'wx');
    try {
      for (const part of parts) {
        let off = 0;
        while (off < part.byteLength) off += fs.writeSync(fd, part, off, part.byteLength - off);
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    // nothing half-written stays behind, whichever step failed (the rename too)
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fsyncPath(path.dirname(file));
}

/**
 * Fills a fresh temporary directory with `write(tmpDir)`, then swaps it in for `dir` (the previous content is
 * removed after the swap). On failure the temporary directory is removed and `dir` is left as it was.
 */
export async function replaceDirAtomic(dir: string, write: (tmpDir: string) => Promise<void> | void): Promise<void> {
  const tmp = tmpName(dir);
  fs.mkdirSync(tmp, { recursive: true });
  try {
    await write(tmp);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  const old = fs.existsSync(dir) ? tmpName(dir) : null;
  if (old) fs.renameSync(dir, old);
  fs.renameSync(tmp, dir);
  fsyncPath(path.dirname(dir));
  if (old) fs.rmSync(old, { recursive: true, force: true });
}

export function sha256(data: Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}
