import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAnonymized } from './e2e/demo-recording.ts';
import { evidenceOf, recordingDir, runDemo, type DemoRun, type DemoRunOptions } from './e2e/demo-run.ts';
import { expectReportListsFindings } from './e2e/expect-report.ts';

// The help-center search of turn 0 is slowed by 4 s. The fixed app gives retrieval 1.5 s and
// answers without documents; with `no-retrieval-timeout` the whole turn waits the 4 s out.
const INPUTS = ['How long does standard shipping take?', 'ok, thanks'];
const INJECTED_MS = 4000;

const scenario = (defects: DemoRunOptions['defects']): DemoRunOptions => ({
  defects,
  seed: 5,
  faults: [{ kind: 'latency', dependency: 'retrieval', turns: [0], distribution: 'fixed', ms: INJECTED_MS }],
});

let dir: string;
let on: DemoRun;
let off: DemoRun;

beforeAll(async () => {
  dir = await recordingDir([await recordAnonymized('slow-search', INPUTS)]);
  [on, off] = await Promise.all([runDemo(dir, scenario(['no-retrieval-timeout'])), runDemo(dir, scenario([]))]);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('latency_collapse against the demo app', () => {
  it('no-retrieval-timeout on: turn 0 waited the injected retrieval delay out', () => {
    const found = on.of('latency_collapse');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ turn: 0, severity: 'high', recordedSession: 'slow-search' });
    const evidence = evidenceOf<{ dependency: string; injectedMs: number; callMs: number; turnMs: number; faults: string[] }>(found[0]);
    expect(evidence).toMatchObject({ dependency: 'retrieval', injectedMs: INJECTED_MS, faults: ['latency'] });
    // The detector's own rule, restated: call and turn both lasted ≥ 90 % of the injected delay.
    expect(evidence.callMs).toBeGreaterThanOrEqual(0.9 * INJECTED_MS);
    expect(evidence.turnMs).toBeGreaterThanOrEqual(0.9 * INJECTED_MS);
    expect(on.findings.map((f) => f.class)).toEqual(['latency_collapse']);
    expectReportListsFindings(on);
  });

  it('no-retrieval-timeout off, same fault and seed: the delay was injected, the app did not wait for it, no finding', () => {
    const search = [...off.run.instances.values()][0]?.calls.find((c) => c.kind === 'retrieval' && c.turn === 0);
    expect(search?.faults.map((f) => f.kind)).toEqual(['latency']);
    expect(off.findings).toEqual([]);
  });
});
