import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupJournal, readJournal, type RunData } from '../../src/journal/journal-reader.ts';
import { ReportJsonSchema, type LatencyStats, type ReportJson } from '../../src/report/index.ts';
import { newHistogram, recordMs, toStats } from '../../src/report/histogram.ts';
import { runScenario, type Shard } from '../../src/replay/index.ts';
import { recordingDir, writeDemoScenario } from '../detect/e2e/demo-run.ts';
import { rehearse } from '../detect/e2e/rehearse-cli.ts';
import { recordShardedDemoSessions } from './demo-sessions.ts';

/**
 * Three shards merged are the one run. The demo app replays LLM, tools and retrieval from the
 * recording with no faults, so which turns lose context is deterministic: one run and the three
 * merged shards must report the same findings (instance ids differ per run, so they are compared
 * by class, recorded session and turn). Turn latencies of two real runs always differ, so the
 * latency claim is checked where it can be exact: the merged report's percentiles must be those
 * of one histogram holding every turn of the three shard journals (the merge loses nothing and
 * averages nothing).
 */
const SHARDS = 3;

let dir: string;
let single: { runDir: string; report: ReportJson };
let shardDirs: string[];
let shardRuns: RunData[];
let merged: ReportJson;
let mergeOutput: { code: number | null; stderr: string };

async function run(scenarioPath: string, shard?: Shard): Promise<string> {
  const result = await runScenario({ scenarioPath, out: new PassThrough().resume(), err: new PassThrough().resume(), env: process.env, cwd: dir, ...(shard ? { shard } : {}) });
  return result.runDir;
}

const readReport = async (runDir: string): Promise<ReportJson> => ReportJsonSchema.parse(JSON.parse(await readFile(join(runDir, 'report.json'), 'utf8')));

/** What survives across runs of a finding: its class, recorded session and turn. */
function findingKeys(report: ReportJson): string[] {
  const recorded = new Map(report.sessions.map((s) => [s.instance, s.recordedSession]));
  return report.findings.map((f) => `${f.class} ${recorded.get(f.sessionInstance)} turn ${f.turn}`).sort();
}

const figures = ({ hist: _hist, ...rest }: LatencyStats) => rest;

beforeAll(async () => {
  dir = await recordingDir(await recordShardedDemoSessions(SHARDS));
  // One scenario file for all four runs: shards of one run share scenario name and seed.
  const { scenarioPath } = await writeDemoScenario(dir, { defects: ['history-truncation'] });
  const [singleDir, ...shards] = await Promise.all([run(scenarioPath), ...Array.from({ length: SHARDS }, (_, i) => run(scenarioPath, { index: i + 1, count: SHARDS }))]);
  single = { runDir: singleDir as string, report: await readReport(singleDir as string) };
  shardDirs = shards;
  shardRuns = await Promise.all(shards.map(async (d) => groupJournal(await readJournal(join(d, 'journal.jsonl')), d)));
  mergeOutput = await rehearse(dir, ['merge-reports', ...shards, '--out', 'runs/merged', '--reporter', 'json']);
  merged = await readReport(join(dir, 'runs', 'merged'));
}, 90_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a run in 3 shards merged with merge-reports equals the run in one piece', () => {
  it('shards partition the recorded sessions, and the merge covers all of them', () => {
    expect(mergeOutput.code, mergeOutput.stderr).toBe(0);
    const recordedOf = (r: RunData) => [...r.instances.values()].map((d) => d.start.recordedSession);
    const perShard = shardRuns.map(recordedOf);
    for (const sessions of perShard) expect(sessions.length).toBeGreaterThan(0);
    expect(perShard.flat().sort()).toEqual(single.report.sessions.map((s) => s.recordedSession).sort());
    expect(merged.run.shards).toEqual({ count: SHARDS, included: [1, 2, 3] });
    expect(merged.sessions.map((s) => s.recordedSession).sort()).toEqual(perShard.flat().sort());
    expect(merged.summary.turns.total).toBe(single.report.summary.turns.total);
  });

  it('finds the same findings: class, recorded session and turn', () => {
    const keys = findingKeys(single.report);
    // Every shard holds a long session that loses its first turn at turns 3 and 4.
    expect(keys.filter((k) => k.startsWith('context_loss '))).toHaveLength(2 * SHARDS);
    expect(findingKeys(merged)).toEqual(keys);
    expect(merged.summary.findings.byClass).toEqual(single.report.summary.findings.byClass);
    // Repro commands point at the shard directory holding the instance, where its journal is.
    for (const f of merged.findings) expect(shardDirs.some((d) => f.repro === `rehearse repro ${d} ${f.sessionInstance}`)).toBe(true);
  });

  it("reports the percentiles of all the shards' turns exactly, as one histogram of them would", () => {
    const all = newHistogram();
    const raw: number[] = [];
    for (const r of shardRuns) {
      for (const data of r.instances.values()) {
        for (const turn of data.turns) {
          recordMs(all, turn.latencyMs);
          raw.push(turn.latencyMs);
        }
      }
    }
    const union = toStats(all);
    expect(union.count).toBe(single.report.summary.turns.total);
    expect(figures(merged.summary.latency.turnMs)).toEqual(figures(union));
    // And they are the turns' real figures, to HDR's 3 significant digits.
    const max = Math.max(...raw);
    expect(Math.abs((merged.summary.latency.turnMs.max as number) - max)).toBeLessThanOrEqual(max * 1e-3 + 1e-3);
  });

  it('adds dependency call counts and durations across shards', () => {
    for (const dep of merged.summary.dependencies) {
      const hist = newHistogram();
      let calls = 0;
      for (const r of shardRuns) {
        const everyCall = [...[...r.instances.values()].flatMap((d) => d.calls), ...r.unattributedCalls];
        for (const call of everyCall.filter((c) => c.dependency === dep.name)) {
          calls++;
          recordMs(hist, call.durationMs);
        }
      }
      expect(dep.calls).toBe(calls);
      expect(figures(dep.durationMs)).toEqual(figures(toStats(hist)));
    }
    expect(merged.summary.dependencies.map((d) => [d.name, d.calls])).toEqual(single.report.summary.dependencies.map((d) => [d.name, d.calls]));
  });
});
