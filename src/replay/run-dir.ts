import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
 * Creates the run directory from `outputs.dir` or `--out` (`{name}`, `{time}`, `{shard}`). A
 * shard run whose scenario `outputs.dir` lacks `{shard}` gets `-shard-<i>-of-<n>` appended so
 * shards sharing one scenario never share a journal; an explicit `--out` (`explicit`) is used
 * as given — the caller chose a directory per shard. A `{time}` name taken already (two runs in
 * the same second) gets `-2`, `-3`…; a fixed directory may exist but must not hold a journal
 * (that is what `--resume` is for).
 */
export async function createRunDir(template: string, name: string, epochMs: number, shard?: Shard, explicit = false): Promise<string> {
  const shardTag = shard ? `shard-${shard.index}-of-${shard.count}` : '';
  let dir = template.replaceAll('{name}', name).replaceAll('{time}', timeTag(epochMs)).replaceAll('{shard}', shardTag);
  if (shard && !explicit && !template.includes('{shard}')) dir = `${dir}-${shardTag}`;
  try {
    if (template.includes('{time}')) return await claimFresh(dir);
    if (existsSync(join(dir, 'journal.jsonl'))) {
      throw new HarnessError('IO', `run directory ${dir} already holds a journal`, { hint: `continue it with --resume ${dir}, or choose another --out` });
    }
    await mkdir(dir, { recursive: true });
    return dir;
  } catch (err) {
    if (err instanceof HarnessError) throw err;
    throw new HarnessError('IO', `cannot create run directory ${dir}`, { cause: err, hint: 'check outputs.dir / --out and permissions' });
  }
}

/** Creates `dir`, or `dir-2`, `dir-3`… — each `mkdir` is atomic, so concurrent runs never share one. */
async function claimFresh(dir: string): Promise<string> {
  await mkdir(dirname(dir), { recursive: true });
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? dir : `${dir}-${n}`;
    try {
      await mkdir(candidate);
      return candidate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
