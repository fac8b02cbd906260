import { execFileSync } from 'node:child_process';
import { readFile, readdir, rm, writeFile, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createArchiveWriter, openArchive, writeArchive, type ArchiveWriteOptions } from '../../src/archive/index.ts';
import { packDirectory } from '../../src/archive/pack.ts';
import { writeTarHeader } from '../../src/archive/tar-header.ts';
import { unpackArchive } from '../../src/archive/unpack.ts';
import { verifyArchive } from '../../src/archive/verify.ts';
import { generateSessions } from '../../src/fixtures/synthetic.ts';
import type { Session } from '../../src/model/index.ts';
import { listTree, tarBytes, tempDir } from './craft.ts';

const options: ArchiveWriteOptions = {
  anonymization: { policyId: 'builtin/v1', keyId: 'k1', droppedSessions: 0 },
  createdAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
  generator: 'test',
};
const sessions = generateSessions({ seed: 'round-trip', sessions: 12 });

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readSessions(path: string): Promise<Session[]> {
  const out: Session[] = [];
  for await (const s of (await openArchive(path)).sessions()) out.push(s);
  return out;
}

describe('archive round trips', () => {
  for (const name of ['r.tar', 'r.tar.gz']) {
    it(`write → read gives the same sessions and manifest (${name})`, async () => {
      const path = join(dir, name);
      const manifest = await writeArchive(path, sessions, options);
      expect(manifest.counts.sessions).toBe(12);
      expect(manifest.counts.turns).toBe(sessions.reduce((n, s) => n + s.turns.length, 0));
      const reader = await openArchive(path);
      expect(reader.manifest).toEqual(manifest);
      expect(await readSessions(path)).toEqual(sessions);
      // sessions() can be iterated again
      expect((await readSessions(path)).length).toBe(12);
      expect(await listTree(dir)).toEqual([name]);
    });
  }

  it('is byte-stable for the same sessions and createdAt', async () => {
    for (const ext of ['tar', 'tar.gz']) {
      await writeArchive(join(dir, `a.${ext}`), sessions, options);
      await writeArchive(join(dir, `b.${ext}`), sessions, options);
      expect((await readFile(join(dir, `a.${ext}`))).equals(await readFile(join(dir, `b.${ext}`)))).toBe(true);
    }
  });

  it('writes what GNU tar reads: manifest first, then sessions', async () => {
    const path = join(dir, 'gnu.tar.gz');
    await writeArchive(path, sessions.slice(0, 3), options);
    const listing = execFileSync('tar', ['-tzf', path], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual(['manifest.json', 'sessions/000001.json', 'sessions/000002.json', 'sessions/000003.json']);
    const tar = gunzipSync(await readFile(path)); // two gzip members read as one stream
    expect(tar.length % 512).toBe(0);
  });

  it('encodes tar headers exactly as tar-stream does', async () => {
    const mtime = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    const crafted = await tarBytes([{ header: { name: 'sessions/000042.json', mode: 0o644, mtime }, body: Buffer.alloc(70_000, 0x61) }]);
    const ours = Buffer.alloc(512);
    writeTarHeader(ours, 'sessions/000042.json', 70_000, mtime);
    expect(ours.equals(crafted.subarray(0, 512))).toBe(true);
  });

  it('abort() and a failing source leave nothing behind', async () => {
    const writer = await createArchiveWriter(join(dir, 'x.tar.gz'), options);
    for (const s of sessions.slice(0, 5)) await writer.add(s);
    await writer.abort();
    expect(await listTree(dir)).toEqual([]);

    async function* failing(): AsyncGenerator<Session> {
      yield sessions[0] as Session;
      throw new Error('source broke');
    }
    await expect(writeArchive(join(dir, 'y.tar'), failing(), options)).rejects.toThrow('source broke');
    await expect(writeArchive(join(dir, 'z.tar'), [sessions[0] as Session, sessions[0] as Session], options)).rejects.toMatchObject({ code: 'ARCHIVE', message: expect.stringMatching(/added twice/) });
    expect(await listTree(dir)).toEqual([]);
  });

  it('unpack → pack reproduces the archive byte for byte; pack is byte-stable', async () => {
    for (const ext of ['tar', 'tar.gz']) {
      const original = join(dir, `orig.${ext}`);
      await writeArchive(original, sessions, options);
      const out = join(dir, `unpacked-${ext}`);
      await unpackArchive(original, out);
      const files = await readdir(join(out, 'sessions'));
      expect(files).toHaveLength(12);
      const first = await readFile(join(out, 'sessions', '000001.json'), 'utf8');
      expect(first).toMatch(/^\{\n {2}"id": "sess-/); // pretty, readable
      await packDirectory(out, join(dir, `repacked.${ext}`));
      await packDirectory(out, join(dir, `repacked2.${ext}`));
      const bytes = await readFile(original);
      expect(bytes.equals(await readFile(join(dir, `repacked.${ext}`)))).toBe(true);
      expect(bytes.equals(await readFile(join(dir, `repacked2.${ext}`)))).toBe(true);
    }
  });

  it('unpack refuses a non-empty folder unless --force, and --force does not follow a planted symlink', async () => {
    const archive = join(dir, 'a.tar');
    await writeArchive(archive, sessions.slice(0, 2), options);
    const out = join(dir, 'out');
    await mkdir(out);
    await writeFile(join(out, 'notes.txt'), 'mine');
    await expect(unpackArchive(archive, out)).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/is not empty/) });
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(elsewhere);
    await symlink(elsewhere, join(out, 'sessions'));
    await unpackArchive(archive, out, { force: true });
    expect(await readdir(elsewhere)).toEqual([]);
    expect((await readdir(join(out, 'sessions'))).sort()).toEqual(['000001.json', '000002.json']);
    expect(await readFile(join(out, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('pack validates every file and names the bad one', async () => {
    const archive = join(dir, 'a.tar');
    await writeArchive(archive, sessions.slice(0, 2), options);
    const out = join(dir, 'out');
    await unpackArchive(archive, out);
    const bad = join(out, 'sessions', '000002.json');
    await writeFile(bad, JSON.stringify({ ...sessions[1], turns: 'many' }));
    await expect(packDirectory(out, join(dir, 'b.tar'))).rejects.toMatchObject({ code: 'SCHEMA', message: expect.stringContaining(`session file ${bad} does not match the session schema: turns`) });
    await rm(bad);
    await symlink('/etc/passwd', bad);
    await expect(packDirectory(out, join(dir, 'b.tar'))).rejects.toMatchObject({ code: 'IO', message: expect.stringContaining(`unexpected entry ${bad}`) });
    expect((await listTree(dir)).filter((f) => f.startsWith('b.tar') || f.includes('.b.tar'))).toEqual([]);
  });

  it('verify collects every problem, not just the first', async () => {
    const archive = join(dir, 'v.tar');
    await writeArchive(archive, sessions.slice(0, 4), options);
    const bytes = await readFile(archive);
    // Flip one byte inside the bodies of entries 2 and 4 (same size, so the tar stays walkable).
    const reader = await openArchive(archive);
    for (const entry of [reader.manifest.entries[1], reader.manifest.entries[3]]) {
      const at = bytes.indexOf(`"id":"${entry?.sessionId}"`);
      bytes[at + 7] = bytes[at + 7] === 0x78 ? 0x79 : 0x78;
    }
    await writeFile(archive, bytes);
    const report = await verifyArchive(archive);
    expect(report.ok).toBe(false);
    expect(report.soundSessions).toBe(2);
    expect(report.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/entry sessions\/000002\.json .* fails its checksum/),
      expect.stringMatching(/entry sessions\/000004\.json .* fails its checksum/),
    ]);
  });
});
