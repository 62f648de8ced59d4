// One writer per feature store: an exclusive lock file holding the writer's pid. A lock left by a dead
// process (crash, kill -9) is taken over.
import * as fs from 'fs';
import * as path from 'path';
import { CorpusError } from './errors';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireLock(dir: string): () => void {
  const file = path.join(dir, '.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.rmSync(file, { force: true });
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) {
        throw new CorpusError('E_STORE_LOCKED', `feature store ${dir} is being written by process ${pid}`, { path: dir });
      }
      if (pid === process.pid) throw new CorpusError('E_STORE_LOCKED', `feature store ${dir} is already being written by this process`, { path: dir });
      fs.rmSync(file, { force: true }); // stale
    }
  }
  throw new CorpusError('E_STORE_LOCKED', `could not lock feature store ${dir}`, { path: dir });
}
