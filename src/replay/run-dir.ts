import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import type { Shard } from './select.ts';

/** `20261122-031500`: UTC, sortable, safe in paths. */
export function timeTag(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** A fresh run id: `<name>-<time>-<random>`. Never used for seeding (see `seedKey`). */
export function newRunId(name: string, epochMs: number): string {
  return `${name}-${timeTag(epochMs)}-${randomBytes(3).toString('hex')}`;
}

/** The short per-run prefix of instance ids, so a staging app's server-side history never mixes runs. */
export function runTagOf(runId: string): string {
  return `r${createHash('sha256').update(runId).digest('hex').slice(0, 6)}`;
}

/**
 * Creates the run directory from `outputs.dir` (`{name}`, `{time}`, `{shard}`); a shard run
 * without `{shard}` in the template gets `-shard-<i>-of-<n>` appended so shards never share a
 * journal. Refuses a directory that already holds a journal (that is what `--resume` is for).
 */
export async function createRunDir(template: string, name: string, epochMs: number, shard?: Shard): Promise<string> {
  const shardTag = shard ? `shard-${shard.index}-of-${shard.count}` : '';
  let dir = template.replaceAll('{name}', name).replaceAll('{time}', timeTag(epochMs)).replaceAll('{shard}', shardTag);
  if (shard && !template.includes('{shard}')) dir = `${dir}-${shardTag}`;
  if (existsSync(join(dir, 'journal.jsonl'))) {
    throw new HarnessError('IO', `run directory ${dir} already holds a journal`, { hint: `continue it with --resume ${dir}, or choose another --out` });
  }
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new HarnessError('IO', `cannot create run directory ${dir}`, { cause: err, hint: 'check outputs.dir / --out and permissions' });
  }
  return dir;
}
