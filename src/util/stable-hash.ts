import { createHash } from 'node:crypto';

/**
 * An unsigned 32-bit hash of `text` (the first four bytes of its SHA-256): the same on every
 * machine and Node version, so sampling and sharding decisions agree across processes.
 * Changing it reshuffles which sessions a recorder samples and which shard runs a session.
 */
export function stableHash32(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}
