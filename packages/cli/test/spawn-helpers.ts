// Runs the compiled CLI (dist/bin.js) as a child process, as users do.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const BIN = path.join(__dirname, '..', 'dist', 'bin.js');

export function requireBuild(): void {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: build first (npx nx run-many -t build, or npm run build)`);
}

export function cli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function cliAsync(args: string[], opts: { cwd?: string } = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A small labelled corpus of speech-like WAVs, plus corrupt files when asked (written by a child Node process). */
export function makeAudioTree(root: string, o: { real: number; fake: number; seconds?: number; corrupt?: number; sampleRate?: number }): { good: string[]; corrupt: string[] } {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'fixtures', 'make-audio-tree.js'), root, JSON.stringify(o)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`make-audio-tree failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

export function readJsonl(file: string): Record<string, any>[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

export function hasBuilt(pkg: string): boolean {
  return fs.existsSync(path.join(__dirname, '..', '..', pkg, 'dist', 'index.js'));
}

