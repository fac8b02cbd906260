/**
 * The bundled default end to end: `rehearse run` of scenarios/nightly.yaml (what `npm start`
 * runs) as a real child process, on a sample of the bundled recording, once against the
 * defective demo app (DEFECTS=all) and once against the fixed one (DEFECTS=none), with the same
 * seed and faults. The two runs go in parallel, each starting its own staging model (a
 * dependency process on a port rehearsal picks).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/journal/journal-reader.ts';
import type { Finding } from '../../src/model/index.ts';
import { REPO, deriveScenario } from './derive-scenario.ts';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  runDir: string;
  findings: Finding[];
}

/** The defect classes the demo's five defect switches produce. */
const DEFECT_CLASSES = ['context_loss', 'leakage', 'cascade', 'schema_drift', 'latency_collapse'] as const;

async function runNightly(dir: string, defects: string): Promise<CliRun> {
  // Long sessions are left out (maxTurns) so a session whose every turn hangs on retrieval
  // does not set the pace; speed 4 keeps enough sessions in flight for the profile-cache leak.
  // Latency gates are left out: on a shared 2-core machine they would make this a timing test.
  const scenario = await deriveScenario('nightly', dir, { sessions: 16, maxTurns: 6, dropLatencyGates: true });
  const runDir = join(dir, 'run');
  const child = spawn(process.execPath, ['bin/rehearse.js', 'run', scenario.path, '--speed', '4', '--out', runDir], {
    cwd: REPO,
    env: { ...process.env, DEFECTS: defects, PATH: `${join(REPO, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const events = existsSync(join(runDir, 'journal.jsonl')) ? await readJournal(join(runDir, 'journal.jsonl')) : [];
  const findings = events.flatMap((e) => (e.type === 'finding' ? [e.finding] : []));
  return { code, stdout, stderr, runDir, findings };
}

/** The end of a run's output, for failure messages. */
const tail = (run: CliRun): string => `${run.stdout.slice(-2500)}\n${run.stderr.slice(-1500)}`;
const byClass = (run: CliRun, cls: string): Finding[] => run.findings.filter((f) => f.class === cls);

describe('npm start: scenarios/nightly.yaml against the demo app', () => {
  const dirs: string[] = [];
  let defective: CliRun;
  let fixed: CliRun;

  beforeAll(async () => {
    const [on, off] = await Promise.all([mkdtemp(join(tmpdir(), 'rehearsal-e2e-on-')), mkdtemp(join(tmpdir(), 'rehearsal-e2e-off-'))]);
    dirs.push(on, off);
    [defective, fixed] = await Promise.all([runNightly(on, 'all'), runNightly(off, 'none')]);
  }, 120_000);

  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('with defects on: fails its gates (exit 1), prints the summary and writes every report', () => {
    expect(defective.code, tail(defective)).toBe(1);
    expect(defective.stdout).toMatch(/gates: FAILED/);
    expect(defective.stderr).toContain(`run written to ${defective.runDir}`);
    for (const file of ['journal.jsonl', 'report.html', 'report.json', 'junit.xml', 'summary.md', 'dep-llm.log', 'target.log']) expect(existsSync(join(defective.runDir, file)), file).toBe(true);
    for (const cls of DEFECT_CLASSES) expect(byClass(defective, cls).length, cls).toBeGreaterThan(0);
  });

  it('finds context loss from turn 3 on, naming the earlier turns and facts the request lost', () => {
    for (const f of byClass(defective, 'context_loss')) {
      expect(f.turn).toBeGreaterThanOrEqual(3);
      const evidence = f.evidence as unknown as { missingTurns?: Array<{ turn: number }>; missingFacts?: Array<{ statedAtTurn: number }> };
      const lostTurns = [...(evidence.missingTurns ?? []).map((t) => t.turn), ...(evidence.missingFacts ?? []).map((m) => m.statedAtTurn)];
      expect(lostTurns.length).toBeGreaterThan(0);
      // history-truncation keeps the last two exchanges: only turns before those are lost.
      for (const turn of lostTurns) expect(turn).toBeLessThan((f.turn ?? 0) - 1);
      expect(f.repro).toBe(`rehearse repro ${defective.runDir} ${f.sessionInstance}`);
    }
  });

  it('finds leakage of another session instance identities into a reply or LLM request', () => {
    for (const f of byClass(defective, 'leakage')) {
      const evidence = f.evidence as unknown as { owner: string; seenIn: string; hits: unknown[] };
      expect(evidence.seenIn).toBe(f.sessionInstance);
      expect(evidence.owner.replace(/-ctl$/, '')).not.toBe(f.sessionInstance);
      expect(evidence.hits.length).toBeGreaterThan(0);
    }
  });

  it('finds the retry storm, the ticket built from the error and the false success claim', () => {
    const titles = byClass(defective, 'cascade').map((f) => f.title);
    expect(titles.some((t) => /retry storm/.test(t))).toBe(true);
    expect(titles.some((t) => /side-effect call .* built from the error/.test(t))).toBe(true);
    expect(titles.some((t) => /succeeded/.test(t))).toBe(true);
    const storm = byClass(defective, 'cascade').find((f) => /retry storm/.test(f.title));
    expect(storm?.evidence).toMatchObject({ dependency: 'tools', attempts: 9, faults: ['http-error'] });
  });

  it('finds the urgency → priority rename and turns that waited out a hanging retrieval', () => {
    for (const f of byClass(defective, 'schema_drift')) expect(f.evidence).toMatchObject({ renamed: [{ from: 'urgency', to: 'priority' }] });
    for (const f of byClass(defective, 'latency_collapse')) {
      const e = f.evidence as unknown as { dependency: string; injectedMs: number; callMs: number };
      expect(e.dependency).toBe('retrieval');
      expect(e.callMs).toBeGreaterThanOrEqual(e.injectedMs * 0.9);
    }
  });

  it('with defects off, same seed and faults: none of those findings, gates pass (exit 0)', async () => {
    expect(fixed.code, tail(fixed)).toBe(0);
    expect(fixed.stdout).toMatch(/gates: PASSED/);
    expect(fixed.findings.filter((f) => (DEFECT_CLASSES as readonly string[]).includes(f.class))).toEqual([]);
    // The same sessions were faulted in both runs: same seed, same fault schedule.
    const faulted = async (run: CliRun) =>
      (await readJournal(join(run.runDir, 'journal.jsonl'))).flatMap((e) => (e.type === 'session-start' && e.variant === 'main' && e.faulted ? [`${e.recordedSession}~c${e.clone}`] : [])).sort();
    const schedule = await faulted(defective);
    expect(schedule.length).toBeGreaterThan(0);
    expect(await faulted(fixed)).toEqual(schedule);
    expect(await readdir(fixed.runDir)).toContain('report.html');
  });
});
