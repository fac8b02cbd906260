import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerWithOrder, recordAnonymized } from './e2e/demo-recording.ts';
import { evidenceOf, recordingDir, runDemo, type DemoRun, type DemoRunOptions } from './e2e/demo-run.ts';
import { expectReportListsFindings } from './e2e/expect-report.ts';

// The order lookup of turn 0 answers 503 on every attempt. The fixed app retries twice with
// backoff and tells the customer it could not look the order up; with `retry-storm` it
// hammers the tool 9 times, files a ticket carrying the raw error, and tells its model the
// problem is resolved.
const customer = customerWithOrder(7);
const INPUTS = [`Hello, where is my order ${customer.orderId}? It is late.`, 'ok thanks'];

const scenario = (defects: DemoRunOptions['defects']): DemoRunOptions => ({
  defects,
  seed: 21,
  faults: [{ kind: 'http-error', dependency: 'tools', name: 'lookup_order', turns: [0], status: 503 }],
});

let dir: string;
let on: DemoRun;
let off: DemoRun;

beforeAll(async () => {
  dir = await recordingDir([await recordAnonymized('cascade-order', INPUTS)]);
  on = await runDemo(dir, scenario(['retry-storm']));
  off = await runDemo(dir, scenario([]));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const keyed = (run: DemoRun) => run.of('cascade').map((f) => ({ turn: f.turn, title: f.title, evidence: f.evidence }));

describe('cascade against the demo app', () => {
  it('retry-storm on: a retry storm, a ticket filed with the error text, and success claimed to the model — all at turn 0', () => {
    const found = keyed(on);
    // Nothing else: three cascade findings, and the unmatched ticket call (below).
    expect(on.findings.map((f) => f.class).sort()).toEqual(['cascade', 'cascade', 'cascade', 'unmatched_call']);
    expect(found.every((f) => f.turn === 0)).toBe(true);

    const storm = found.find((f) => /retry storm/.test(f.title));
    expect(storm?.evidence).toMatchObject({ dependency: 'tools', name: 'lookup_order', attempts: 9, recordedCalls: 1, faults: ['http-error'] });
    // One gap per retry after a failure (their sizes are timing, not asserted here).
    expect(evidenceOf<{ gapsMs: number[] }>(storm).gapsMs).toHaveLength(8);

    const ticket = found.find((f) => /side-effect call/.test(f.title));
    expect(ticket?.evidence).toMatchObject({ call: { dependency: 'tools', method: 'POST' }, failedCalls: ['tools/lookup_order'] });
    expect(evidenceOf<{ echoed: string[] }>(ticket).echoed.join(' ')).toMatch(/HTTP 503/);
    expect(evidenceOf<{ excerpt: string }>(ticket).excerpt).toMatch(/Auto-escalation: lookup_order failed/);

    const claim = found.find((f) => /succeeded/.test(f.title));
    expect(claim?.evidence).toMatchObject({ failedDependencies: ['tools/lookup_order'] });
    expect(evidenceOf<{ toolClaims: Array<{ phrase: string }> }>(claim).toolClaims.map((c) => c.phrase)).toContain('resolved');

    expect(on.findings.filter((f) => f.class === 'cascade').every((f) => f.recordedSession === 'cascade-order')).toBe(true);
    expectReportListsFindings(on);
  });

  it('retry-storm off, same fault and seed: the fault happened, and no cascade (nor anything else) is reported', () => {
    const calls = [...off.run.instances.values()].flatMap((d) => d.calls);
    const lookups = calls.filter((c) => c.kind === 'tool' && c.turn === 0);
    // Not vacuous: the fault hit every attempt of the bounded retry.
    expect(lookups).toHaveLength(3);
    expect(lookups.every((c) => c.response?.status === 503 && c.faults[0]?.kind === 'http-error')).toBe(true);
    expect(off.findings).toEqual([]);
  });
});

describe('unmatched_call against the demo app', () => {
  it('the auto-escalation ticket production never filed is an unmatched call, named with method and URL', () => {
    const unmatched = on.of('unmatched_call');
    expect(unmatched).toHaveLength(1);
    expect(unmatched[0]).toMatchObject({ turn: 0, severity: 'high', recordedSession: 'cascade-order' });
    expect(unmatched[0]?.title).toBe('turn 0: 1 call matched no recorded exchange (tools/tickets)');
    const { calls } = evidenceOf<{ calls: Array<{ dependency: string; method: string; url: string; policy: string }> }>(unmatched[0]);
    expect(calls).toEqual([expect.objectContaining({ dependency: 'tools', method: 'POST', url: expect.stringMatching(/\/tickets$/), policy: 'error' })]);
  });
});
