import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeArchive } from '../../src/archive/index.ts';
import { generateSessions } from '../../src/fixtures/synthetic.ts';
import { listTree, tarBytes, tempDir, validEntries } from '../archive/craft.ts';
import { rehearse } from '../archive/cli-run.ts';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
  await writeArchive(join(dir, 'rec.tar.gz'), generateSessions({ seed: 'cli', sessions: 4 }), {
    anonymization: { policyId: 'builtin/v1', droppedSessions: 0 },
    createdAt: new Date(Date.UTC(2026, 0, 1)),
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('rehearse unpack / pack', () => {
  it('unpacks to readable files and packs back to the same bytes', async () => {
    const unpacked = await rehearse(['unpack', 'rec.tar.gz', 'review'], dir);
    expect(unpacked).toMatchObject({ code: 0, stdout: 'unpacked 4 sessions into review\n' });
    expect((await readdir(join(dir, 'review', 'sessions'))).sort()).toEqual(['000001.json', '000002.json', '000003.json', '000004.json']);
    expect(JSON.parse(await readFile(join(dir, 'review', 'manifest.json'), 'utf8'))).toMatchObject({ formatVersion: 1, counts: { sessions: 4 } });

    const packed = await rehearse(['pack', 'review', 'again.tar.gz'], dir);
    expect(packed.code).toBe(0);
    expect(packed.stdout).toMatch(/^packed 4 sessions \(\d+ turns\) into again\.tar\.gz\n$/);
    expect((await readFile(join(dir, 'again.tar.gz'))).equals(await readFile(join(dir, 'rec.tar.gz')))).toBe(true);
  });

  it('refuses a non-empty target without --force (exit 2)', async () => {
    await writeFile(join(dir, 'review', 'note.md'), 'keep me');
    const refused = await rehearse(['unpack', 'rec.tar.gz', 'review'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/unpack target .*review is not empty\n {2}hint: .*--force/);
    expect((await rehearse(['unpack', 'rec.tar.gz', 'review', '--force'], dir)).code).toBe(0);
  });

  it('a hostile archive exits 3 and writes nothing', async () => {
    const entries = validEntries(1);
    entries.push({ header: { name: '../escape.json' }, body: Buffer.from('{}') });
    await writeFile(join(dir, 'evil.tar'), await tarBytes(entries));
    const before = await listTree(dir);
    const result = await rehearse(['unpack', 'evil.tar', 'evil-out'], dir);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('entry "../escape.json" has a path with `..`');
    expect(await listTree(dir)).toEqual(before);
  });

  it('pack of an invalid session file exits 3 naming the file', async () => {
    await writeFile(join(dir, 'review', 'sessions', '000003.json'), '{"id": ');
    const result = await rehearse(['pack', 'review', 'broken.tar'], dir);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`session file ${join(dir, 'review', 'sessions', '000003.json')} is not valid JSON`);
    expect((await readdir(dir)).filter((f) => f.includes('broken'))).toEqual([]);
  });

  it('documents itself', async () => {
    const help = await rehearse(['pack', '--help'], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
  });
});
