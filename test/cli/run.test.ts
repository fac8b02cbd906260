import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupJournal, readJournal } from '../../src/journal/journal-reader.ts';
import type { JournalEvent } from '../../src/model/index.ts';
import { supportSession } from '../replay/recordings.ts';
import { scenarioDir } from '../replay/scenario-files.ts';

const REPO = join(import.meta.dirname, '..', '..');
const BIN = join(REPO, 'bin', 'rehearse.js');
const ENV = { ...process.env, PATH: `${join(REPO, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` };

function rehearse(args: string[], cwd: string): { child: ChildProcess; stderrSoFar: () => string; result: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c));
  child.stderr?.on('data', (c: Buffer) => (stderr += c));
  const result = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, stderrSoFar: () => stderr, result };
}

async function waitFor(predicate: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function runDirIn(dir: string): Promise<string> {
  const names = await readdir(join(dir, 'runs'));
  if (names[0] === undefined) throw new Error(`no run directory in ${dir}/runs yet`);
  return join(dir, 'runs', names[0]);
}

/** For wait predicates: lines of `type` in the run's journal, 0 while the run directory does not exist yet. */
async function journalLines(dir: string, type: string): Promise<number> {
  if (!existsSync(join(dir, 'runs'))) return 0;
  const names = await readdir(join(dir, 'runs'));
  return names[0] === undefined ? 0 : countLines(join(dir, 'runs', names[0]), type);
}

async function events(runDir: string): Promise<JournalEvent[]> {
  return readJournal(join(runDir, 'journal.jsonl'));
}

const countLines = async (runDir: string, type: string) => {
  const path = join(runDir, 'journal.jsonl');
  if (!existsSync(path)) return 0;
  return (await readFile(path, 'utf8')).split('\n').filter((l) => l.includes(`"type":"${type}"`)).length;
};

describe('rehearse run (CLI)', () => {
  it('--dry-run prints the plan as JSON and sends nothing', async () => {
    const { dir, scenarioPath } = await scenarioDir([supportSession(1), supportSession(2), supportSession(3)], {
      load: { speed: 2, clones: 2, concurrency: 3 },
      faults: [{ kind: 'latency', dependency: 'llm', ms: '1s' }],
      control: { faulted: true },
    });
    const { code, stdout } = await rehearse(['run', scenarioPath, '--dry-run', '--seed', '5'], dir).result;
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as Record<string, any>;
    expect(plan).toMatchObject({ scenario: 'it', seed: '5', sessions: { selected: 3, ids: ['s001', 's002', 's003'] }, instances: { main: 6, control: 6, total: 12 } });
    expect(plan.schedule).toMatchObject({ model: 'recorded', speed: 2, firstStartMs: 0, concurrencyCap: 3 });
    expect(plan.faults.rules[0]).toMatchObject({ kind: 'latency' });
    // 3 sessions × 2 clones × 3 recorded llm calls, each delayed.
    expect(plan.faults.schedule).toMatchObject({ faultedCalls: 18, byKind: { latency: 18 } });
    expect(plan.faults.schedule.instances[0].faults[0]).toMatch(/^turn 0 llm call 0 \(gpt-test\): latency/);
    expect(existsSync(join(dir, 'runs'))).toBe(false);
  });

  it('exits 2 listing every scenario problem, and 4 when the production guard refuses', async () => {
    const { dir, scenarioPath } = await scenarioDir([supportSession(1)]);
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'name: x\nrecordings: []\ntarget: { type: http, url: "http://127.0.0.1:1", reply: {} }\n');
    const invalid = await rehearse(['run', bad], dir).result;
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain(`${bad}:2:13  recordings:`);
    expect(invalid.stderr).toContain(`${bad}:3:57  target.reply.text:`);
    const badRules = join(dir, 'bad-rules.yaml');
    const base = await readFile(scenarioPath, 'utf8');
    await writeFile(badRules, `${base}faults:\n  - { kind: latency, dependency: tools, distribution: uniform }\ngates: ['p95(turn_ms) <']\n`);
    const rules = await rehearse(['run', badRules, '--dry-run'], dir).result;
    expect(rules.code).toBe(2);
    expect(rules.stderr).toMatch(/faults: .*dependency `tools` is not declared/);
    expect(rules.stderr).toMatch(/gates\[0\] `p95\(turn_ms\) <`/);
    const text = (await readFile(scenarioPath, 'utf8')).replace('url: http://127.0.0.1:{{port}}', 'url: http://staging.example.com:{{port}}');
    await writeFile(scenarioPath, text);
    const refused = await rehearse(['run', scenarioPath], dir).result;
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('production guard refused target.url http://staging.example.com:1');
  });

  it('exits 1 when a gate fails, after writing the journal and reports', async () => {
    const { dir, scenarioPath } = await scenarioDir([supportSession(1, 2)], { gates: ['p95(turn_ms) < 0.001'], outputs: { dir: 'runs/{name}-{time}', reporters: ['json', 'junit'] } });
    const { code, stderr } = await rehearse(['run', scenarioPath], dir).result;
    expect(code).toBe(1);
    expect(stderr).toMatch(/gate failed: p95\(turn_ms\) < 0\.001 \(measured [\d.]+\)/);
    const runDir = await runDirIn(dir);
    expect(groupJournal(await events(runDir)).end?.interrupted).toBe(false);
    expect(existsSync(join(runDir, 'junit.xml'))).toBe(true);
  });

  it('SIGINT drains, writes journal and reports, and exits 130', async () => {
    const { dir, scenarioPath } = await scenarioDir(Array.from({ length: 6 }, (_, i) => supportSession(i + 1, 2, i * 5)), { load: { speed: 1, thinkTime: 'none' } });
    const { child, result } = rehearse(['run', scenarioPath], dir);
    await waitFor(async () => (await journalLines(dir, 'session-end')) >= 1, 'a finished session');
    child.kill('SIGINT');
    const { code, stderr } = await result;
    expect(stderr).toContain('stopping');
    expect(code).toBe(130);
    const runDir = await runDirIn(dir);
    const run = groupJournal(await events(runDir));
    expect(run.end?.interrupted).toBe(true);
    expect(run.instances.size).toBeLessThan(6);
    expect(existsSync(join(runDir, 'report.json'))).toBe(true);
  });

  it('a second SIGINT exits at once without waiting for in-flight sessions', async () => {
    const { dir, scenarioPath } = await scenarioDir([supportSession(1, 3)], { load: { speed: 1, thinkTime: '30s' } });
    const { child, stderrSoFar, result } = rehearse(['run', scenarioPath], dir);
    await waitFor(async () => (await journalLines(dir, 'turn')) >= 1, 'the first turn');
    child.kill('SIGINT');
    await waitFor(async () => stderrSoFar().includes('stopping'), 'the first SIGINT to be handled');
    child.kill('SIGINT');
    const { code } = await result;
    expect(code).toBe(130);
    // The 30 s think time was not waited out: the run ended without its run-end, and took its staging app down with it.
    const runDir = await runDirIn(dir);
    expect(groupJournal(await events(runDir)).end).toBeUndefined();
    const { pid } = JSON.parse(await readFile(join(runDir, 'target.pid'), 'utf8')) as { pid: number };
    await waitFor(async () => !alive(pid), 'the staging app to stop');
  });

  it('--resume after SIGKILL completes every planned instance exactly once', async () => {
    const { dir, scenarioPath } = await scenarioDir(Array.from({ length: 6 }, (_, i) => supportSession(i + 1, 3, i * 2)), { load: { speed: 2, thinkTime: '300ms', concurrency: 2 } });
    const first = rehearse(['run', scenarioPath], dir);
    await waitFor(async () => (await journalLines(dir, 'session-end')) >= 2, 'two finished sessions');
    first.child.kill('SIGKILL');
    await first.result;
    const runDir = await runDirIn(dir);
    // The killed run could not stop its staging app; resume stops the leftover before starting anew.
    const leftover = JSON.parse(await readFile(join(runDir, 'target.pid'), 'utf8')) as { pid: number };
    expect(alive(leftover.pid)).toBe(true);
    const before = groupJournal(await events(runDir));
    expect(before.end).toBeUndefined();
    const resumed = await rehearse(['run', '--resume', runDir], dir).result;
    expect(resumed.stderr).toContain('resuming');
    expect(resumed.code).toBe(0);
    const all = await events(runDir);
    const run = groupJournal(all);
    expect(run.start.plannedInstances).toBe(6);
    expect(run.instances.size).toBe(6);
    const starts = all.filter((e) => e.type === 'session-start').map((e) => (e as { instance: string }).instance);
    const ends = all.filter((e) => e.type === 'session-end');
    expect(new Set(starts).size).toBe(6);
    expect(starts).toHaveLength(6);
    expect(ends).toHaveLength(6);
    expect(ends.every((e) => e.type === 'session-end' && e.status === 'completed')).toBe(true);
    for (const d of run.instances.values()) expect(d.turns.map((t) => t.turn)).toEqual([0, 1, 2]);
    expect(all.filter((e) => e.type === 'run-start')).toHaveLength(1);
    await waitFor(async () => !alive(leftover.pid), 'the leftover staging app to stop');
    expect(existsSync(join(runDir, 'target.pid'))).toBe(false);
  });
});
