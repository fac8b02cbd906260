import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeArchive } from '../../src/archive/index.ts';
import { generateSessions } from '../../src/fixtures/synthetic.ts';
import { tempDir } from '../archive/craft.ts';
import { rehearse } from '../archive/cli-run.ts';

let dir: string;
const sessions = generateSessions({ seed: 'verify', sessions: 3 });
beforeAll(async () => {
  dir = await tempDir();
  await writeArchive(join(dir, 'good.tar'), sessions, { anonymization: { policyId: 'builtin/v1', droppedSessions: 0 } });
  const bytes = await readFile(join(dir, 'good.tar'));
  for (const s of [sessions[0], sessions[2]]) {
    const at = bytes.indexOf(`"id":"${s?.id}"`) + 7;
    bytes[at] = bytes[at] === 0x78 ? 0x79 : 0x78;
  }
  await writeFile(join(dir, 'bad.tar'), bytes);
  await writeFile(join(dir, 'cut.tar'), bytes.subarray(0, 3000));
  await writeFile(join(dir, 'junk.tar'), 'not an archive\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('rehearse verify', () => {
  it('exit 0 for a sound recording', async () => {
    const result = await rehearse(['verify', 'good.tar'], dir);
    expect(result).toMatchObject({ code: 0, stdout: 'good.tar: sound — 3 sessions, every checksum and schema checks out\n' });
  });

  it('exit 1 listing every problem', async () => {
    const result = await rehearse(['verify', 'bad.tar'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^bad\.tar: 2 problem\(s\); 1 of 3 sessions sound\n/);
    expect(result.stdout).toMatch(/✗ \[ARCHIVE\] .*entry sessions\/000001\.json .* fails its checksum/);
    expect(result.stdout).toMatch(/✗ \[ARCHIVE\] .*entry sessions\/000003\.json .* fails its checksum/);
    const json = JSON.parse((await rehearse(['verify', 'bad.tar', '--json'], dir)).stdout);
    expect(json).toMatchObject({ ok: false, soundSessions: 1, sessions: 3 });
    expect(json.problems).toHaveLength(2);
  });

  it('exit 1 for a truncated recording, exit 3 for a file that is not an archive', async () => {
    const cut = await rehearse(['verify', 'cut.tar'], dir);
    expect(cut.code).toBe(1);
    expect(cut.stdout).toMatch(/truncated/);
    const junk = await rehearse(['verify', 'junk.tar'], dir);
    expect(junk.code).toBe(3);
    expect(junk.stderr).toMatch(/junk\.tar is not a tar or tar\.gz file\n {2}hint: /);
  });
});
