import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnonymizer, pseudonymizeSessionId } from '../../src/anonymize/index.ts';
import { writeArchive } from '../../src/archive/index.ts';
import type { Session } from '../../src/model/index.ts';

const root = resolve(import.meta.dirname, '../..');
const key = Buffer.alloc(32, 7);
let dir: string;

const session = (id: string, startedAt: string, language: string, turns = 2): Session => ({
  id,
  startedAt,
  segment: { language, channel: 'web' },
  identities: [],
  turns: Array.from({ length: turns }, (_, index) => ({ index, offsetMs: index * 1000, input: { text: `q${index}` }, output: { status: 200, text: 'a', latencyMs: 10 }, exchanges: [] })),
});

function rehearse(...args: string[]) {
  const result = spawnSync(process.execPath, [join(root, 'bin/rehearse.js'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, REHEARSAL_ANON_KEY: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rehearse-find-'));
  await writeFile(join(dir, 'key'), key.toString('hex'));
  await writeFile(join(dir, 'other-key'), Buffer.alloc(32, 9).toString('hex'));
  const sessions = [
    session(pseudonymizeSessionId(key, 'prod-4411'), '2026-01-07T14:00:00.000Z', 'en', 4),
    session(pseudonymizeSessionId(key, 'prod-4411#2'), '2026-01-07T16:00:00.000Z', 'en'),
    session(pseudonymizeSessionId(key, 'prod-9000'), '2026-01-07T14:05:00.000Z', 'es'),
    session(pseudonymizeSessionId(key, 'prod-9001'), '2026-01-07T18:00:00.000Z', 'es'),
  ];
  await writeArchive(join(dir, 'rec.tar.gz'), sessions, { anonymization: { policyId: 'builtin/v1', keyId: createAnonymizer({ key }).keyId, droppedSessions: 0 } });
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('rehearse find', () => {
  it('maps a production session id to its recorded pseudonym (and its #n repeats) with the key', () => {
    const r = rehearse('find', 'rec.tar.gz', '--session', 'prod-4411', '--key-file', 'key', '--scenario', 'scenarios/nightly.yaml');
    expect(r.status).toBe(0);
    const id = pseudonymizeSessionId(key, 'prod-4411');
    expect(r.stdout).toContain(`${id}  2026-01-07T14:00:00.000Z  language=en channel=web  4 turns`);
    expect(r.stdout).toContain(`rehearse repro --recording rec.tar.gz --session ${id} --scenario scenarios/nightly.yaml`);
    expect(r.stdout).toContain(`${id}#2`);
    expect(r.stdout).not.toContain(pseudonymizeSessionId(key, 'prod-9000'));
  });

  it('refuses a key the recording was not anonymized with', () => {
    const r = rehearse('find', 'rec.tar.gz', '--session', 'prod-4411', '--key-file', 'other-key');
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('is not the key this recording was anonymized with');
  });

  it('lists sessions around a time, filtered by segment, nearest first, as JSON', () => {
    const r = rehearse('find', 'rec.tar.gz', '--around', '2026-01-07T14:03:00Z', '--window', '10m', '--json');
    expect(r.status).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ id: string; offsetMs: number; repro: string }>;
    expect(rows.map((x) => [x.id, x.offsetMs])).toEqual([[pseudonymizeSessionId(key, 'prod-9000'), 120_000], [pseudonymizeSessionId(key, 'prod-4411'), -180_000]]);
    const es = rehearse('find', 'rec.tar.gz', '--around', '2026-01-07T14:03:00Z', '--segment', 'language=es');
    expect(es.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('exits 1 when nothing matches and 2 on bad arguments', () => {
    expect(rehearse('find', 'rec.tar.gz', '--around', '2025-01-01T00:00:00Z').status).toBe(1);
    const bad = rehearse('find', 'rec.tar.gz', '--around', 'yesterday');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('is not an ISO-8601 time');
    expect(rehearse('find', 'rec.tar.gz').status).toBe(2);
  });
});
