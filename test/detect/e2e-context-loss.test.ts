import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../src/model/index.ts';
import { customerWithOrder, recordAnonymized } from './e2e/demo-recording.ts';
import { evidenceOf, mainInstances, recordingDir, runDemo } from './e2e/demo-run.ts';
import { expectReportListsFindings } from './e2e/expect-report.ts';

// A 5-turn session whose first turn states who the customer is; the app's legacy 2-exchange
// history window (`history-truncation`) first drops it at turn 3.
const customer = customerWithOrder(3);
const INPUTS = [
  `Hi, I'm ${customer.name}, my email is ${customer.email} and my order is ${customer.orderId}`,
  'ok',
  'and how long does shipping usually take?',
  'thanks',
  'what did I say my email was?',
];

let dir: string;
let recorded: Session;

beforeAll(async () => {
  recorded = await recordAnonymized('ctx-long', INPUTS);
  dir = await recordingDir([recorded]);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('context_loss against the demo app', () => {
  it('history-truncation on: found at turn 3, naming turn 0 and its facts (email, order id) as the instance saw them', async () => {
    const result = await runDemo(dir, { defects: ['history-truncation'] });
    const [instance] = mainInstances(result.run);
    const canaries = result.run.instances.get(instance as string)?.start.canaries ?? [];
    const email = canaries.find((c) => c.type === 'email')?.value;
    expect(email).toBeDefined();
    expect(email).not.toBe(customer.email);

    const found = result.of('context_loss');
    expect(found.map((f) => f.turn)).toEqual([3, 4]);
    expect(result.findings).toHaveLength(found.length);
    const first = found[0];
    expect(first).toMatchObject({ sessionInstance: instance, recordedSession: 'ctx-long', turn: 3, severity: 'high' });
    const evidence = evidenceOf<{ missingTurns: Array<{ turn: number; input: string }>; missingFacts: Array<{ fact: string; statedAtTurn: number }> }>(first);
    expect(evidence.missingTurns.map((t) => t.turn)).toEqual([0]);
    expect(evidence.missingTurns[0]?.input).toContain(email);
    expect(evidence.missingFacts.map((f) => f.fact)).toEqual(expect.arrayContaining([email, customer.orderId]));
    expect(evidence.missingFacts.every((f) => f.statedAtTurn === 0)).toBe(true);
    expect(first?.title).toContain(customer.orderId);
    expectReportListsFindings(result);
  });

  it('history-truncation off, same seed: no finding at all', async () => {
    const result = await runDemo(dir, { defects: [] });
    const [instance] = [...result.run.instances.values()];
    const email = instance?.start.canaries.find((c) => c.type === 'email')?.value as string;
    // Not vacuous: all five turns ran and the last LLM request still carried turn 0's email.
    expect(instance?.turns).toHaveLength(5);
    const lastLlm = instance?.calls.filter((c) => c.turn === 4 && c.kind === 'llm')[0];
    expect(JSON.stringify(lastLlm?.request.body)).toContain(email);
    expect(result.findings).toEqual([]);
    expect(result.report.findings).toEqual([]);
  });
});
