import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProductionDeps } from '../../examples/support-assistant/deps-server.ts';
import { customerWithOrder, recordAnonymized } from './e2e/demo-recording.ts';
import { evidenceOf, recordingDir, runDemo, type DemoRun, type DemoRunOptions } from './e2e/demo-run.ts';

// The cascade again, with the whole staging stack live: model, tools and retrieval proxied to
// the demo's dependency server, so the model itself reads the app's "resolved" tool result
// and tells the customer their order was updated. Proxied calls are named by their path
// under the dependency (`orders/lookup`, `tickets`, see `exchangeName`); the fault is scoped
// by call index: calls 0–8 of turn 0 on `tools` are the order lookups (3 in the fixed app, 9
// in the storm); the ticket the storm files afterwards (call 9) goes through, except in the
// whole-outage run.
//
// Regressions: when proxied calls were still named after their dependency (`tools`), the
// cascade detector grouped calls by dependency + name, so here every tool call was one
// "endpoint": the succeeding ticket call hid the failed lookups (no success claim
// reported) and was counted into the storm. And when the outage refused the ticket too, the
// ticket carrying the raw error was not reported at all (failed calls were never checked for
// echoed errors).
const customer = customerWithOrder(13);
const INPUTS = [`Hello, where is my order ${customer.orderId}? It is late.`, 'ok thanks'];

let dir: string;
let staging: { url: string; close(): Promise<void> };
let on: DemoRun;
let off: DemoRun;
let wholeOutage: DemoRun;

beforeAll(async () => {
  dir = await recordingDir([await recordAnonymized('staging-order', INPUTS)]);
  staging = await startProductionDeps({ port: 0, latencyScale: 0 });
  const scenario = (defects: DemoRunOptions['defects'], calls: number[] | null = [0, 1, 2, 3, 4, 5, 6, 7, 8]): DemoRunOptions => ({
    defects,
    seed: 3,
    dependencies: {
      llm: { kind: 'llm', mode: 'proxy', upstream: staging.url },
      tools: { kind: 'tool', mode: 'proxy', upstream: `${staging.url}/tools` },
      retrieval: { kind: 'retrieval', mode: 'proxy', upstream: `${staging.url}/retrieval` },
    },
    faults: [{ kind: 'http-error', dependency: 'tools', turns: [0], ...(calls ? { calls } : {}), status: 503 }],
  });
  [on, off, wholeOutage] = await Promise.all([runDemo(dir, scenario(['retry-storm'])), runDemo(dir, scenario([])), runDemo(dir, scenario(['retry-storm'], null))]);
});
afterAll(async () => {
  await staging?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('cascade against the demo app with live staging dependencies', () => {
  it('retry-storm on: the storm on the order lookup alone, the ticket built from the error, and the success the model told the customer', () => {
    const titles = on.of('cascade').map((f) => f.title);
    expect(on.of('cascade').every((f) => f.turn === 0)).toBe(true);
    expect(titles).toContain('turn 0: 9 calls to failing tools/orders/lookup for 1 recorded call (retry storm)');
    expect(titles).toContain('turn 0: side-effect call tools/tickets made with arguments built from the error of tools/orders/lookup');
    const claim = on.of('cascade').find((f) => f.evidence.failedDependencies !== undefined);
    const evidence = evidenceOf<{ failedDependencies: string[]; replyClaims: string[]; reply: string }>(claim);
    expect(evidence.failedDependencies).toEqual(['tools/orders/lookup']);
    expect(evidence.replyClaims).toEqual(expect.arrayContaining(['resolved', 'updated your']));
    expect(evidence.reply).toMatch(/I've updated your order and your ticket TCK-\d+ is resolved/);
  });

  it('retry-storm off, same fault and seed: the customer is told nothing was changed, and nothing is reported', () => {
    expect([...off.run.instances.values()][0]?.turns[0]?.reply.text).toMatch(/Nothing was changed/);
    expect(off.findings).toEqual([]);
  });

  it('retry-storm on, the ticket refused by the same outage: the ticket carrying the raw error is still reported', () => {
    const titles = wholeOutage.of('cascade').map((f) => f.title);
    expect(titles).toContain('turn 0: side-effect call tools/tickets made with arguments built from the error of tools/orders/lookup');
    const tickets = [...wholeOutage.run.instances.values()][0]?.calls.filter((c) => c.request.url.endsWith('/tickets'));
    expect(tickets?.map((c) => c.response?.status)).toEqual([503]);
  });
});
