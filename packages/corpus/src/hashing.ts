// Content and option hashes that key the feature store.
import { createHash } from 'crypto';
import * as fs from 'fs';

/** sha256 of a file's bytes (hex), streamed so big files never sit in memory. */
export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      h.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return h.digest('hex');
}

/** JSON with object keys sorted, so equal values always hash equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Store key of one file: its content hash + the hash of the options that produced its features. */
export function storeKey(contentSha: string, optionsHash: string): string {
  return `${contentSha.slice(0, 32)}-${optionsHash.slice(0, 12)}`;
}
