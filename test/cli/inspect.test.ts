import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeArchive } from '../../src/archive/index.ts';
import { generateSessions } from '../../src/fixtures/synthetic.ts';
import type { Session } from '../../src/model/index.ts';
import { tempDir } from '../archive/craft.ts';
import { rehearse } from '../archive/cli-run.ts';

let dir: string;
let sessions: Session[];
beforeAll(async () => {
  dir = await tempDir();
  sessions = generateSessions({ seed: 'inspect', sessions: 6 });
  await writeArchive(join(dir, 'rec.tar'), sessions, { anonymization: { policyId: 'builtin/v1', keyId: 'k-77', droppedSessions: 1 } });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('rehearse inspect', () => {
  it('summarizes sessions, exchanges, segments and turn counts', async () => {
    const result = await rehearse(['inspect', 'rec.tar'], dir);
    expect(result.code).toBe(0);
    const turns = sessions.reduce((n, s) => n + s.turns.length, 0);
    expect(result.stdout).toContain('sessions   6\n');
    expect(result.stdout).toContain(`turns      ${turns} `);
    expect(result.stdout).toMatch(/exchanges {2}\d+: llm \d+, tool \d+, retrieval \d+, http 0/);
    expect(result.stdout).toContain('anonymized policy builtin/v1, key k-77, 1 session(s) dropped');
    expect(result.stdout).toMatch(/segments\n {2}app_version/);
    expect(result.stdout).toContain('turns per session');
  });

  it('--json for machines', async () => {
    const result = await rehearse(['inspect', 'rec.tar', '--json'], dir);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ sessions: 6, formatVersion: 1, sessionIds: sessions.map((s) => s.id) });
    expect(summary.turnHistogram.reduce((n: number, b: { sessions: number }) => n + b.sessions, 0)).toBe(6);
  });

  it('--session shows one session turn by turn', async () => {
    const target = sessions[2] as Session;
    const text = await rehearse(['inspect', 'rec.tar', '--session', target.id], dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`session    ${target.id}`);
    expect(text.stdout).toContain(`turn ${target.turns.length - 1} at +`);
    expect(text.stdout).toMatch(/ {4}llm {7}gpt-[\w.-]+ via openai — 200, \d+ms/);
    const json = JSON.parse((await rehearse(['inspect', 'rec.tar', '--session', target.id, '--json'], dir)).stdout);
    expect(json.turns).toHaveLength(target.turns.length);
    expect(json.turns[0].exchanges[0]).toHaveProperty('kind');
  });

  it('an unknown session exits 2; an unreadable archive exits 3', async () => {
    const unknown = await rehearse(['inspect', 'rec.tar', '--session', 'nope'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('session nope is not in rec.tar');
    const missing = await rehearse(['inspect', 'missing.tar'], dir);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('cannot open archive');
  });
});
