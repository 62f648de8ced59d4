// Deterministic sharding: a file belongs to shard hash(key) mod N, where key is its path relative to the
// scanned folder. Every machine computes the same assignment, so N shards are disjoint and cover everything.
import { createHash } from 'node:crypto';

export function shardOf(key: string, count: number): number {
  if (count === 1) return 0;
  const h = createHash('sha1').update(key, 'utf8').digest();
  return h.readUIntBE(0, 6) % count; // 48 bits: modulo bias below 1e-9 for any realistic N
}

export function inShard<T extends { key: string }>(files: readonly T[], shard: { index: number; count: number } | undefined): T[] {
  if (!shard || shard.count === 1) return [...files];
  return files.filter((f) => shardOf(f.key, shard.count) === shard.index);
}
