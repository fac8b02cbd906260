import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProductionDeps } from '../../examples/support-assistant/deps-server.ts';
import { customerWithOrder, recordAnonymized } from './e2e/demo-recording.ts';
import { evidenceOf, recordingDir, runDemo, type DemoRun, type DemoRunOptions } from './e2e/demo-run.ts';
import { expectReportListsFindings } from './e2e/expect-report.ts';

// `schema-rename` only changes the triage prompt, so the model must really answer it: the
// LLM is proxied to the demo's model (a staging model), tools and retrieval replay the
// recording. Turn 0 is a refund, turn 1 plain English, turn 2 Spanish: the defect forks the
// prompt on turns 0 and 2 only.
const customer = customerWithOrder(9);
const INPUTS = [`Hi, I want a refund for order ${customer.orderId}, it arrived broken.`, 'ok thanks', '¿Cuándo recibiré el reembolso de mi pedido?'];

// The triage contract as a JSON Schema: the scenario's assertion checks it on every turn.
const TRIAGE_SCHEMA = {
  type: 'object',
  properties: { name: { type: ['string', 'null'] }, issue_type: { type: 'string' }, urgency: { enum: ['low', 'medium', 'high'] } },
  required: ['name', 'issue_type', 'urgency'],
};

let dir: string;
let staging: { url: string; close(): Promise<void> };
let on: DemoRun;
let off: DemoRun;

beforeAll(async () => {
  dir = await recordingDir([await recordAnonymized('drift-refund', INPUTS)]);
  staging = await startProductionDeps({ port: 0, latencyScale: 0 });
  const scenario = (defects: DemoRunOptions['defects']): DemoRunOptions => ({
    defects,
    dependencies: { llm: { kind: 'llm', mode: 'proxy', upstream: staging.url }, tools: { kind: 'tool' }, retrieval: { kind: 'retrieval' } },
    assertions: [
      { name: 'triage-contract', jsonSchema: TRIAGE_SCHEMA, severity: 'high' },
      { name: 'order-looked-up', when: 'ORD-\\d+', toolCalled: 'lookup_order' },
    ],
  });
  on = await runDemo(dir, scenario(['schema-rename']));
  off = await runDemo(dir, scenario([]));
});
afterAll(async () => {
  await staging?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('schema_drift against the demo app', () => {
  it('schema-rename on: `urgency` → `priority` on the refund and the Spanish turn, not on the plain one', () => {
    const found = on.of('schema_drift');
    expect(found.map((f) => f.turn)).toEqual([0, 2]);
    // Nothing else drifted or failed: only the contract assertion on the same turns (below).
    expect(on.findings.map((f) => f.class).sort()).toEqual(['assertion', 'assertion', 'schema_drift', 'schema_drift']);
    for (const f of found) {
      expect(f.title).toContain('`urgency` became `priority`');
      expect(f.evidence).toMatchObject({ renamed: [{ from: 'urgency', to: 'priority' }], missing: ['urgency'], added: ['priority'] });
    }
    // The triage call really went to the staging model, with the forked prompt.
    const triage = [...on.run.instances.values()][0]?.calls.filter((c) => c.turn === 0 && c.kind === 'llm').at(-1);
    expect(triage?.match.mode).toBe('proxy');
    expect(JSON.stringify(triage?.request.body)).toContain('\\"priority\\"');
    expectReportListsFindings(on);
  });

  it('schema-rename off, same seed: no finding at all', () => {
    expect([...off.run.instances.values()][0]?.turns.map((t) => Object.keys(t.reply.structured as object).sort())).toEqual(Array(3).fill(['issue_type', 'name', 'urgency']));
    expect(off.findings).toEqual([]);
  });
});

describe('assertion against the demo app', () => {
  it('the triage-contract JSON Schema assertion fails exactly where the schema drifted; the tool assertion holds', () => {
    const failed = on.of('assertion');
    expect(failed.map((f) => [f.turn, (f.evidence as { assertion?: unknown }).assertion])).toEqual([
      [0, 'triage-contract'],
      [2, 'triage-contract'],
    ]);
    expect(failed[0]?.severity).toBe('high');
    expect(String(evidenceOf<{ failures: string[] }>(failed[0]).failures)).toMatch(/urgency/);
  });
});
