// Crash-safe file writes: data goes to a temporary name, is fsync'ed, then renamed over the target, and the
// directory entry is fsync'ed. A reader sees the old file or the complete new one, never a torn write.
import * as fs from 'fs';
import * as path from 'path';

export const TMP_MARK = '.tmp-';

export function tmpNameFor(file: string): string {
  return `${file}${TMP_MARK}${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}

export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the rename itself is still atomic there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export function writeFileAtomic(file: string, data: string | Uint8Array | readonly Uint8Array[]): void {
  const tmp = tmpNameFor(file);
  const fd = fs.openSync(tmp, 'w');
  try {
    const parts = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : data;
    for (const part of parts) {
      let off = 0;
      while (off < part.byteLength) off += fs.writeSync(fd, part, off, part.byteLength - off);
    }
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

/** Removes leftovers of interrupted atomic writes in `dir` (names containing TMP_MARK), optionally in subfolders too. */
export function removeStaleTmpFiles(dir: string, recursive = false): string[] {
  const removed: string[] = [];
  let items: fs.Dirent[];
  try {
    items = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return removed;
  }
  for (const item of items) {
    const full = path.join(dir, item.name);
    if (item.isDirectory()) {
      if (recursive) removed.push(...removeStaleTmpFiles(full, true));
    } else if (item.name.includes(TMP_MARK)) {
      fs.rmSync(full, { force: true });
      removed.push(full);
    }
  }
  return removed;
}

/** writeFileAtomic off the event loop (libuv threads), so native extraction keeps going while a shard is written. */
export async function writeFileAtomicAsync(file: string, parts: readonly Uint8Array[]): Promise<void> {
  const tmp = tmpNameFor(file);
  const fh = await fs.promises.open(tmp, 'w');
  try {
    for (const part of parts) {
      let off = 0;
      while (off < part.byteLength) off += (await fh.write(part, off, part.byteLength - off)).bytesWritten;
    }
    await fh.sync();
  } catch (err) {
    await fh.close();
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  await fs.promises.rename(tmp, file);
  fsyncDir(path.dirname(file));
}
