// --shard I/N: the I-th of N slices of the selected hosts. A host's slice depends on its name only
// (sha256 of the name, first 4 bytes as an unsigned integer, modulo N), so N jobs started with the same
// playbook and inventory cover every host exactly once, whatever the order or the other hosts.
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';

export interface Shard {
  /** 1-based */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard expects I/N with 1 <= I <= N (e.g. 2/4), got '${text}'`);
  }
  return { index, count };
}

/** Which slice (1..count) a host name falls into. */
export function shardOf(host: string, count: number): number {
  return (createHash('sha256').update(host).digest().readUInt32BE(0) % count) + 1;
}

export function inShard(hosts: readonly string[], shard: Shard | undefined): string[] {
  return shard ? hosts.filter((h) => shardOf(h, shard.count) === shard.index) : [...hosts];
}

export function formatShard(s: Shard): string {
  return `${s.index}/${s.count}`;
}
