// One scan per output file at a time: `<out>.lock` holds the writer's pid. A lock left by a killed
// process (pid no longer alive) is taken over.
import fs from 'node:fs';
import { CliError } from '../lib/errors';

export function acquireOutputLock(file: string): () => void {
  const lock = `${file}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        fs.rmSync(lock, { force: true });
      };
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new CliError('E_LOCKED', `${file} is being written by another scan (pid ${pid}); wait for it or remove ${lock}`);
      }
      fs.rmSync(lock, { force: true }); // stale
    }
  }
  throw new CliError('E_LOCKED', `cannot lock ${file}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}
