import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProductionDeps } from '../../examples/support-assistant/deps-server.ts';
import type { RunData } from '../../src/journal/journal-reader.ts';
import { customerWithOrder, recordAnonymized } from './e2e/demo-recording.ts';
import { evidenceOf, mainInstances, recordingDir, runDemo, type DemoRunOptions } from './e2e/demo-run.ts';
import { expectReportListsFindings } from './e2e/expect-report.ts';

// One recorded session whose first turn looks the account up; replayed as 16 clones, each with
// its own identities. All clones start together (one recorded session: every clone's offset
// is 0) and the account service is slowed by 250 ms on turn 0, so at concurrency 16 every
// clone's lookup starts while another is in flight: the overlap the `profile-cache` defect
// needs is certain, not a matter of luck. At concurrency 1 nothing overlaps.
const customer = customerWithOrder(5);
const INPUTS = [`Hi, my email is ${customer.email}. Can you check my account details?`, 'thanks, that is all'];
const CLONES = 16;

let dir: string;

beforeAll(async () => {
  dir = await recordingDir([await recordAnonymized('leak-acct', INPUTS)]);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const scenario = (defects: DemoRunOptions['defects'], concurrency: number): DemoRunOptions => ({
  defects,
  faults: [{ kind: 'latency', dependency: 'tools', turns: [0], distribution: 'fixed', ms: '250ms' }],
  load: { speed: 50, thinkTime: 'none', clones: CLONES, concurrency },
});

const accountLookups = (run: RunData): number => [...run.instances.values()].reduce((n, d) => n + d.calls.filter((c) => c.kind === 'tool').length, 0);

describe('leakage against the demo app', () => {
  it('profile-cache on at concurrency 16: another instance\'s identities found in the LLM request, naming both instances', async () => {
    const result = await runDemo(dir, scenario(['profile-cache'], 16));
    const mains = mainInstances(result.run);
    expect(mains).toHaveLength(CLONES);
    // The coalesced lookups really happened: fewer account calls went out than sessions asked.
    expect(accountLookups(result.run)).toBeLessThan(CLONES);

    const leaks = result.of('leakage');
    expect(leaks.length).toBeGreaterThan(0);
    expect(result.findings).toHaveLength(leaks.length);
    for (const leak of leaks) {
      const evidence = evidenceOf<{ seenIn: string; owner: string; hits: Array<{ where: string; type: string; value: string }> }>(leak);
      expect(leak).toMatchObject({ severity: 'critical', turn: 0, recordedSession: 'leak-acct' });
      expect(evidence.seenIn).toBe(leak.sessionInstance);
      expect(mains).toContain(evidence.owner);
      expect(evidence.owner).not.toBe(leak.sessionInstance);
      // The hit is the owner's own email, in the tool result the victim's app handed its model.
      const ownerEmail = result.run.instances.get(evidence.owner)?.start.canaries.find((c) => c.type === 'email')?.value;
      expect(evidence.hits).toContainEqual(expect.objectContaining({ type: 'email', value: ownerEmail, where: expect.stringMatching(/^LLM request/) }));
      expect(leak.title).toContain(evidence.owner);
      // The owner's lookup is the one call that went out: it is journaled under the owner, at turn 0.
      expect(result.run.instances.get(evidence.owner)?.calls.some((c) => c.kind === 'tool' && c.turn === 0)).toBe(true);
    }
    expectReportListsFindings(result);
  });

  it('profile-cache on at concurrency 16 with the model live on staging: the victim\'s reply names the other customer', async () => {
    const staging = await startProductionDeps({ port: 0, latencyScale: 0 });
    try {
      const result = await runDemo(dir, {
        ...scenario(['profile-cache'], 16),
        dependencies: { llm: { kind: 'llm', mode: 'proxy', upstream: staging.url }, tools: { kind: 'tool' }, retrieval: { kind: 'retrieval' } },
      });
      const inReply = result.of('leakage').filter((f) => evidenceOf<{ hits: Array<{ where: string }> }>(f).hits.some((h) => h.where === 'reply'));
      expect(inReply.length).toBeGreaterThan(0);
      for (const leak of inReply) {
        const { owner, hits } = evidenceOf<{ owner: string; hits: Array<{ where: string; type: string; value: string }> }>(leak);
        const ownerValues = result.run.instances.get(owner)?.start.canaries.map((c) => c.value) ?? [];
        const replyHits = hits.filter((h) => h.where === 'reply');
        expect(replyHits.map((h) => h.type)).toEqual(expect.arrayContaining(['email', 'phone']));
        for (const hit of replyHits) expect(ownerValues).toContain(hit.value);
        const reply = result.run.instances.get(leak.sessionInstance)?.turns[0]?.reply.text ?? '';
        for (const hit of replyHits) expect(reply + JSON.stringify(result.run.instances.get(leak.sessionInstance)?.turns[0]?.reply.structured)).toContain(hit.value);
      }
    } finally {
      await staging.close();
    }
  });

  it('profile-cache on at concurrency 1: the same sessions, faults and seed show no leakage', async () => {
    const result = await runDemo(dir, scenario(['profile-cache'], 1));
    expect(accountLookups(result.run)).toBe(CLONES);
    expect(result.findings).toEqual([]);
  });

  it('profile-cache off at concurrency 16: no leakage', async () => {
    const result = await runDemo(dir, scenario([], 16));
    expect(accountLookups(result.run)).toBe(CLONES);
    expect(result.findings).toEqual([]);
  });
});
