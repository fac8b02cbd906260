import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive, writeArchive } from '../../src/archive/index.ts';
import { pseudonymizeSessionId } from '../../src/anonymize/index.ts';
import { ExitCode } from '../../src/cli/exit-codes.ts';
import { KEY, SEEDED, seededSession } from './fixture.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
let dir: string;
let keyFile: string;
let rawArchive: string;
/** `rehearse anonymize raw.tar clean.tar.gz`, run once for the tests below. */
let anonymized: Run;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function rehearse(args: string[], stdin = '', env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [join(ROOT, 'bin/rehearse.js'), ...args], {
      cwd: dir,
      env: { PATH: `${join(ROOT, 'node_modules/.bin')}${delimiter}${process.env.PATH ?? ''}`, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rehearsal-anon-cli-'));
  keyFile = join(dir, 'anon.key');
  await writeFile(keyFile, KEY.toString('hex'));
  rawArchive = join(dir, 'raw.tar');
  const broken = seededSession('prod-broken');
  let deep: unknown = 'x';
  for (let i = 0; i < 300; i++) deep = [deep];
  (broken.turns[0] as { output: { structured?: unknown } }).output.structured = deep;
  await writeArchive(rawArchive, [seededSession('prod-1001'), broken, seededSession('prod-1002')], {
    anonymization: { policyId: 'none', droppedSessions: 0 },
  });
  anonymized = await rehearse(['anonymize', 'raw.tar', 'clean.tar.gz', '--key-file', keyFile]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('rehearse anonymize / scan / redact', () => {
  it('anonymize writes a clean archive with the policy id, key id, pseudonymous ids and the drop count', async () => {
    const run = anonymized;
    expect(run.stderr).toMatch(/2 sessions .* anonymized with policy builtin\/v1, key [0-9a-f]{16}; 1 dropped/);
    expect(run.code).toBe(ExitCode.OK);
    expect(run.stdout.trim()).toBe(join(dir, 'clean.tar.gz'));
    const reader = await openArchive(join(dir, 'clean.tar.gz'));
    expect(reader.manifest.anonymization).toMatchObject({ policyId: 'builtin/v1', droppedSessions: 1 });
    expect(reader.manifest.anonymization.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(reader.manifest.entries.map((e) => e.sessionId)).toEqual([pseudonymizeSessionId(KEY, 'prod-1001'), pseudonymizeSessionId(KEY, 'prod-1002')]);
    const bytes = gunzipSync(await readFile(join(dir, 'clean.tar.gz'))).toString('utf8');
    for (const value of [...Object.values(SEEDED), 'prod-1001', 'prod-broken', KEY.toString('hex')]) expect(bytes).not.toContain(value);
  });

  it('scan exits 0 on the clean archive and 1 on the raw one, naming types and places but no value', async () => {
    const clean = await rehearse(['scan', 'clean.tar.gz']);
    expect(clean.code).toBe(ExitCode.OK);
    expect(clean.stderr).toMatch(/2 sessions, no residual PII or secrets/);
    const raw = await rehearse(['scan', 'raw.tar', '--json']);
    expect(raw.code).toBe(ExitCode.FAILED);
    const report = JSON.parse(raw.stdout) as { sessions: number; residue: number; byType: Record<string, number>; hits: Array<{ location: string }> };
    expect(report.sessions).toBe(3);
    expect(report.byType.email).toBeGreaterThan(0);
    expect(report.hits.some((h) => h.location === 'turns[1].input.text')).toBe(true);
    for (const value of Object.values(SEEDED)) expect(raw.stdout + raw.stderr).not.toContain(value);
  });

  it('anonymize refuses an archive that is already anonymized, and a missing key', async () => {
    const again = await rehearse(['anonymize', 'clean.tar.gz', 'twice.tar.gz', '--key-file', keyFile]);
    expect(again.code).toBe(ExitCode.DATA);
    expect(again.stderr).toMatch(/already anonymized \(policy builtin\/v1\)/);
    const noKey = await rehearse(['anonymize', 'raw.tar', 'nokey.tar.gz']);
    expect(noKey.code).toBe(ExitCode.DATA);
    expect(noKey.stderr).toMatch(/hint: .*--key-file/);
  });

  it('redact cleans stdin line for line, and --jsonl redacts the text field', async () => {
    const text = `Hi, I'm Jennifer Okafor (${SEEDED.email})\nno pii here\nkey ${SEEDED.openaiKey}\n`;
    const run = await rehearse(['redact', '--key-file', keyFile], text);
    expect(run.code).toBe(ExitCode.OK);
    const lines = run.stdout.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe('no pii here');
    expect(lines[2]).toMatch(/^key \[secret:openai_key:[0-9a-f]{6}\]$/);
    for (const v of ['Jennifer', 'Okafor', SEEDED.email, SEEDED.openaiKey]) expect(run.stdout).not.toContain(v);
    const jsonl = await rehearse(['redact', '--jsonl'], `{"text":"call ${SEEDED.phone}","at":1}\n`, { REHEARSAL_ANON_KEY: KEY.toString('hex') });
    expect(jsonl.code).toBe(ExitCode.OK);
    const line = JSON.parse(jsonl.stdout) as { text: string; at: number };
    expect(line.at).toBe(1);
    expect(line.text).toMatch(/^call \+44 \d\d \d555 01\d\d$/);
  });

  it('redact without a key says how to give one; a bad policy file is a usage error', async () => {
    const run = await rehearse(['redact'], 'x\n');
    expect(run.code).toBe(ExitCode.DATA);
    expect(run.stderr).toMatch(/--ephemeral-key/);
    await writeFile(join(dir, 'bad-policy.yaml'), 'rules: 3\n');
    const bad = await rehearse(['redact', '--ephemeral-key', '--policy', 'bad-policy.yaml'], 'x\n');
    expect(bad.code).toBe(ExitCode.USAGE);
    expect(bad.stderr).toMatch(/bad-policy\.yaml: id: .*; rules: /);
  });
});
