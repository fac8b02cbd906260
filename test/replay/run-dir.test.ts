import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors.ts';
import { createRunDir, runTagOf, timeTag } from '../../src/replay/run-dir.ts';

describe('run directory', () => {
  it('fills {name} and {time}, and keeps shards apart', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rehearsal-dirs-'));
    const at = Date.UTC(2026, 0, 7, 2, 0, 5);
    expect(timeTag(at)).toBe('20260107-020005');
    expect(await createRunDir(join(root, 'runs/{name}-{time}'), 'nightly', at)).toBe(join(root, 'runs/nightly-20260107-020005'));
    expect(await createRunDir(join(root, 'runs/{name}'), 'nightly', at, { index: 2, count: 4 })).toBe(join(root, 'runs/nightly-shard-2-of-4'));
    expect(await createRunDir(join(root, 'runs/{shard}/{name}'), 'nightly', at, { index: 1, count: 4 })).toBe(join(root, 'runs/shard-1-of-4/nightly'));
  });

  it('uses an explicit --out as given, even for a shard', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rehearsal-dirs-'));
    expect(await createRunDir(join(root, 'runs/shard-2'), 'nightly', 0, { index: 2, count: 3 }, true)).toBe(join(root, 'runs/shard-2'));
    expect(await createRunDir(join(root, 'runs/{shard}'), 'nightly', 0, { index: 3, count: 3 }, true)).toBe(join(root, 'runs/shard-3-of-3'));
  });

  it('gives a second run in the same second its own directory', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rehearsal-dirs-'));
    const dirs = await Promise.all([1, 2, 3].map(() => createRunDir(join(root, '{name}-{time}'), 'n', 0)));
    const first = join(root, 'n-19700101-000000');
    expect(dirs.sort()).toEqual([first, `${first}-2`, `${first}-3`]);
  });

  it('refuses a fixed directory that already holds a journal, pointing at --resume', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rehearsal-dirs-'));
    await writeFile(join(root, 'journal.jsonl'), '');
    const err = await createRunDir(root, 'x', 0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as HarnessError).hint).toContain(`--resume ${root}`);
  });

  it('derives a short, stable run tag for instance ids', () => {
    expect(runTagOf('nightly-20260107-020005-abc123')).toMatch(/^r[0-9a-f]{6}$/);
    expect(runTagOf('a')).toBe(runTagOf('a'));
    expect(runTagOf('a')).not.toBe(runTagOf('b'));
  });
});
