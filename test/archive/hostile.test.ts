import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openArchive, type ArchiveLimits } from '../../src/archive/index.ts';
import { unpackArchive } from '../../src/archive/unpack.ts';
import { HarnessError } from '../../src/errors.ts';
import { listTree, manifestFor, sampleBodies, tarBytes, tempDir, validEntries, writeCrafted, type CraftEntry } from './craft.ts';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Reads every session; returns the error thrown. */
async function readAll(path: string, limits?: Partial<ArchiveLimits>): Promise<HarnessError> {
  try {
    const reader = await openArchive(path, limits ? { limits } : {});
    for await (const _ of reader.sessions()) {
      /* drain */
    }
  } catch (err) {
    expect(err).toBeInstanceOf(HarnessError);
    return err as HarnessError;
  }
  throw new Error(`reading ${path} did not fail`);
}

/**
 * The attack must fail with `code` and a message naming the archive and `entry`, both when
 * read and when unpacked, and leave no file anywhere but the archive itself.
 */
async function expectRefused(entries: CraftEntry[] | Buffer, code: 'ARCHIVE' | 'SCHEMA', message: RegExp, entry: string | undefined, limits?: Partial<ArchiveLimits>) {
  for (const name of ['attack.tar', 'attack.tar.gz']) {
    const tar = Buffer.isBuffer(entries) ? entries : await tarBytes(entries);
    const path = await writeCrafted(dir, name, tar);
    const before = await listTree(dir);
    const err = await readAll(path, limits);
    expect(err.code).toBe(code);
    expect(err.message).toContain(path);
    if (entry) expect(err.message).toContain(entry);
    expect(err.message).toMatch(message);
    expect(err.hint).toBeTruthy();
    await expect(unpackArchive(path, join(dir, 'out'), limits ? { limits } : {})).rejects.toMatchObject({ code });
    expect(await listTree(dir)).toEqual(before);
    await rm(path);
  }
}

describe('hostile archives are refused', () => {
  it('an entry with .. in its path', async () => {
    const entries = validEntries(1);
    entries.push({ header: { name: 'sessions/../../evil.json' }, body: Buffer.from('{}') });
    await expectRefused(entries, 'ARCHIVE', /`\.\.`/, 'sessions/../../evil.json');
  });

  it('an absolute path', async () => {
    const entries = validEntries(1);
    entries.push({ header: { name: '/tmp/evil.json' }, body: Buffer.from('{}') });
    await expectRefused(entries, 'ARCHIVE', /absolute/, '/tmp/evil.json');
  });

  it('a symlink', async () => {
    const entries = validEntries(1);
    entries[1] = { header: { name: 'sessions/000001.json', type: 'symlink', linkname: '/etc/passwd' } };
    await expectRefused(entries, 'ARCHIVE', /symlink entry \(-> \/etc\/passwd\), not a regular file/, 'sessions/000001.json');
  });

  it('a hard link', async () => {
    const entries = validEntries(1);
    entries[1] = { header: { name: 'sessions/000001.json', type: 'link', linkname: 'manifest.json' } };
    await expectRefused(entries, 'ARCHIVE', /link entry .* not a regular file/, 'sessions/000001.json');
  });

  it('a character device and a FIFO', async () => {
    const device = validEntries(1);
    device[1] = { header: { name: 'sessions/000001.json', type: 'character-device', devmajor: 1, devminor: 3 } };
    await expectRefused(device, 'ARCHIVE', /character-device entry/, 'sessions/000001.json');
    const fifo = validEntries(1);
    fifo[1] = { header: { name: 'sessions/000001.json', type: 'fifo' } };
    await expectRefused(fifo, 'ARCHIVE', /fifo entry/, 'sessions/000001.json');
  });

  it('a directory entry and an unexpected name', async () => {
    const directory = validEntries(1);
    directory.splice(1, 0, { header: { name: 'sessions', type: 'directory' } });
    await expectRefused(directory, 'ARCHIVE', /directory entry/, 'sessions');
    const stray = validEntries(1);
    stray.push({ header: { name: 'run.sh' }, body: Buffer.from('rm -rf ~') });
    await expectRefused(stray, 'ARCHIVE', /not an expected name/, 'run.sh');
  });

  it('a duplicate entry name', async () => {
    const entries = validEntries(2);
    entries[2] = entries[1] as CraftEntry;
    await expectRefused(entries, 'ARCHIVE', /appears twice/, 'sessions/000001.json');
  });

  it('an entry not listed in the manifest', async () => {
    const entries = validEntries(1);
    entries.push({ header: { name: 'sessions/000002.json' }, body: Buffer.from('{}') });
    await expectRefused(entries, 'ARCHIVE', /not listed in manifest\.json/, 'sessions/000002.json');
  });

  it('an entry larger than its manifest declares', async () => {
    const entries = validEntries(1);
    const body = entries[1]?.body as Buffer;
    entries[1] = { header: { name: 'sessions/000001.json' }, body: Buffer.concat([body, Buffer.alloc(4096, 0x20)]) };
    await expectRefused(entries, 'ARCHIVE', /bytes but manifest\.json declares/, 'sessions/000001.json');
  });

  it('an entry larger than the size limit', async () => {
    await expectRefused(validEntries(1), 'SCHEMA', /more than the limit of 100/, 'sessions/000001.json', { maxEntryBytes: 100 });
  });

  it('too many entries', async () => {
    await expectRefused(validEntries(3), 'SCHEMA', /lists 3 entries, more than the limit of 2/, 'manifest.json', { maxEntries: 2 });
  });

  it('gzip expanding past the ratio (zip bomb)', async () => {
    const bodies = sampleBodies(1);
    const bomb = Buffer.alloc(8 * 1024 * 1024, 0x20);
    const [first] = bodies;
    const declared = [{ name: 'sessions/000001.json', body: bomb, session: first!.session }];
    const tar = await tarBytes([
      { header: { name: 'manifest.json' }, body: manifestFor(declared) },
      { header: { name: 'sessions/000001.json' }, body: bomb },
    ]);
    const path = await writeCrafted(dir, 'bomb.tar.gz', tar);
    const before = await listTree(dir);
    const err = await readAll(path, { maxExpansionRatio: 50, expansionGraceBytes: 1024 * 1024 });
    expect(err.code).toBe('ARCHIVE');
    expect(err.message).toMatch(new RegExp(`archive ${path}: gzip data expands more than 50×`));
    expect(await listTree(dir)).toEqual(before);
  });

  it('more tar data than the total size limit', async () => {
    const err = await readAll(await writeCrafted(dir, 'big.tar', await tarBytes(validEntries(3))), { maxTotalBytes: 4096 });
    expect(err.code).toBe('ARCHIVE');
    expect(err.message).toMatch(/more than 4096 bytes of tar data/);
  });

  it('a checksum mismatch', async () => {
    const entries = validEntries(2);
    const body = Buffer.from(entries[2]?.body as Buffer);
    const at = body.indexOf('"index":0');
    body.write('"index":1', at); // same size, still valid JSON and schema: only the checksum can tell
    entries[2] = { header: { name: 'sessions/000002.json' }, body };
    await expectRefused(entries, 'ARCHIVE', /fails its checksum/, 'sessions/000002.json');
  });

  it('a truncated archive (cut inside an entry and at an entry boundary)', async () => {
    const tar = await tarBytes(validEntries(3));
    await expectRefused(tar.subarray(0, tar.length - 1024 - 700), 'ARCHIVE', /truncated/, undefined);
    const manifestBlocks = 512 + Math.ceil((validEntries(3)[0]?.body?.length ?? 0) / 512) * 512;
    await expectRefused(tar.subarray(0, manifestBlocks), 'ARCHIVE', /truncated .*0 of 3 session entries present/, 'sessions/000001.json');
  });

  it('a file that is not a tar at all, and an empty file', async () => {
    for (const [bytes, message] of [[Buffer.from('hello, this is not a tar archive\n'.repeat(40)), /is not a tar or tar\.gz file/], [Buffer.alloc(0), /it is empty/]] as const) {
      const path = await writeCrafted(dir, 'junk.tar', bytes);
      const err = await readAll(path);
      expect(err.code).toBe('ARCHIVE');
      expect(err.message).toMatch(message);
      expect(err.message).toContain(path);
    }
    const gzJunk = await writeCrafted(dir, 'junk2.tar', gzipSync(Buffer.from('not a tar inside a gzip'.repeat(40))));
    const err = await readAll(gzJunk);
    expect(err.code).toBe('ARCHIVE');
    expect(err.message).toMatch(/corrupt|truncated/);
  });

  it('a missing manifest, or one that is not first', async () => {
    const entries = validEntries(1);
    await expectRefused([entries[1] as CraftEntry], 'ARCHIVE', /manifest\.json is missing or not the first entry/, 'sessions/000001.json');
    await expectRefused([entries[1] as CraftEntry, entries[0] as CraftEntry], 'ARCHIVE', /manifest\.json is missing or not the first entry/, 'sessions/000001.json');
    await expectRefused([], 'ARCHIVE', /manifest\.json is missing \(the archive has no entries\)/, undefined);
  });

  it('an invalid manifest: not JSON, wrong schema, inconsistent counts', async () => {
    const entries = validEntries(1);
    await expectRefused([{ header: { name: 'manifest.json' }, body: Buffer.from('{"formatVersion":1,') }, entries[1] as CraftEntry], 'SCHEMA', /is not valid JSON/, 'manifest.json');
    await expectRefused([{ header: { name: 'manifest.json' }, body: Buffer.from('{"formatVersion":1}') }], 'SCHEMA', /does not match the manifest schema: createdAt/, 'manifest.json');
    const bodies = sampleBodies(1);
    const wrongCount = manifestFor(bodies, { counts: { sessions: 5, turns: 0, exchanges: 0 } });
    await expectRefused([{ header: { name: 'manifest.json' }, body: wrongCount }, entries[1] as CraftEntry], 'SCHEMA', /counts 5 sessions but lists 1 entries/, 'manifest.json');
  });

  it('a format version newer than this reader', async () => {
    const manifest = manifestFor(sampleBodies(1), { formatVersion: 99 });
    await expectRefused([{ header: { name: 'manifest.json' }, body: manifest }], 'ARCHIVE', /has format version 99; this rehearsal reads up to 1/, undefined);
  });

  it('a session entry that is not a valid session', async () => {
    const bodies = sampleBodies(1);
    const bad = { ...bodies[0]!, body: Buffer.from(JSON.stringify({ ...bodies[0]!.session, turns: [{ index: -1 }] })) };
    const tar = await tarBytes([{ header: { name: 'manifest.json' }, body: manifestFor([bad]) }, { header: { name: bad.name }, body: bad.body }]);
    await expectRefused(tar, 'SCHEMA', /does not match the session schema: turns\[0\]/, 'sessions/000001.json');
  });
});
