import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../src/archive/index.ts';
import { otlpExport } from './otlp-fixture.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['bin/rehearse.js', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });

describe('rehearse import (child process)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rehearsal-import-'));
    const doc = JSON.stringify(otlpExport()).replace('Where is order 42?', 'Where is order 42? Mail me at sven.olsen@fjordpost.no');
    await writeFile(join(dir, 'traces.json'), doc);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes an anonymized recording with the key, a raw one with --raw', async () => {
    const key = 'ab'.repeat(32);
    const anon = run(['import', 'otlp', join(dir, 'traces.json'), '--out', join(dir, 'otlp.tar.gz')], { REHEARSAL_ANON_KEY: key });
    expect(anon.stderr).toContain('2 sessions, 3 turns, 6 exchanges');
    expect(anon.status).toBe(0);
    const reader = await openArchive(join(dir, 'otlp.tar.gz'));
    expect(reader.manifest.anonymization.policyId).not.toBe('none');
    expect(reader.manifest.entries.map((e) => e.sessionId).some((id) => id.startsWith('conv-'))).toBe(false);
    const { gunzipSync } = await import('node:zlib');
    expect(gunzipSync(await readFile(join(dir, 'otlp.tar.gz'))).toString('latin1')).not.toContain('sven.olsen@fjordpost.no');

    const raw = run(['import', 'otlp', join(dir, 'traces.json'), '--out', join(dir, 'raw.tar'), '--raw']);
    expect(raw.status).toBe(0);
    expect((await openArchive(join(dir, 'raw.tar'))).manifest.anonymization.policyId).toBe('none');
  });

  it('fails with a usage error on an unknown format and a data error on a broken file', async () => {
    expect(run(['import', 'pcap', 'x', '--out', join(dir, 'x.tar'), '--raw']).status).toBe(2);
    await writeFile(join(dir, 'broken.json'), '{"resourceSpans": 3}');
    const broken = run(['import', 'otlp', join(dir, 'broken.json'), '--out', join(dir, 'y.tar'), '--raw']);
    expect(broken.status).toBe(3);
    expect(broken.stderr).toContain('hint:');
  });
});
