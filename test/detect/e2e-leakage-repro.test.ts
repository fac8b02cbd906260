import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupJournal, readJournal, type RunData } from '../../src/journal/journal-reader.ts';
import type { Finding } from '../../src/model/index.ts';
import { customerWithOrder, recordAnonymized } from './e2e/demo-recording.ts';
import { evidenceOf, recordingDir, runDemo, type DemoRun } from './e2e/demo-run.ts';
import { rehearse } from './e2e/rehearse-cli.ts';

// A leakage finding's one-command reproduction, run as the report prints it, through the real
// CLI: the victim and the owner replayed together against the demo app. The setup is the one
// of e2e-leakage.test.ts (clones of one session all starting at once, the account lookup
// slowed by 250 ms on turn 0), with 4 clones: enough for the `profile-cache` overlap.

const reproJournals = (stderr: string): string[] => [...stderr.matchAll(/repro journal in (.+)\n/g)].map((m) => join(m[1] as string, 'journal.jsonl'));

const customer = customerWithOrder(5);
const INPUTS = [`Hi, my email is ${customer.email}. Can you check my account details?`, 'thanks, that is all'];

let dir: string;
let original: DemoRun;
let leak: Finding;

beforeAll(async () => {
  dir = await recordingDir([await recordAnonymized('leak-acct', INPUTS)]);
  original = await runDemo(dir, {
    defects: ['profile-cache'],
    faults: [{ kind: 'latency', dependency: 'tools', turns: [0], distribution: 'fixed', ms: '250ms' }],
    load: { speed: 50, thinkTime: 'none', clones: 4, concurrency: 4 },
  });
  leak = original.of('leakage')[0] as Finding;
  expect(leak).toBeDefined();
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const ownerOf = (f: Finding | undefined): string => evidenceOf<{ owner: string }>(f).owner;
const canariesOf = (run: RunData, instance: string) => run.instances.get(instance)?.start.canaries;

describe('rehearse repro of a leakage finding against the demo app (child processes)', () => {
  it("profile-cache on: the finding's command replays victim and owner together and the same leak comes back", async () => {
    const owner = ownerOf(leak);
    expect(leak.repro).toBe(`rehearse repro ${original.runDir} ${leak.sessionInstance} --with ${owner}`);
    const [command, ...args] = leak.repro.split(' ');
    expect(command).toBe('rehearse');
    const repro = await rehearse(dir, args);
    expect(repro.code, repro.stderr).toBe(1);
    // Which of the two reaches the profile cache first is the app's scheduling: the leak may
    // come back the other way round, which the verdict says (still the same two sessions crossing).
    expect(repro.stdout).toMatch(/^verdict: reproduced (reversed )?on attempt 1 of up to 1/m);

    const [journalPath] = reproJournals(repro.stderr);
    const again = groupJournal(await readJournal(journalPath as string));
    const ids = [...again.instances.keys()];
    const victim = ids.find((id) => id.endsWith(leak.sessionInstance.slice(leak.sessionInstance.indexOf('-')))) as string;
    const reOwner = ids.find((id) => id.endsWith(owner.slice(owner.indexOf('-')))) as string;
    expect(ids).toHaveLength(2);
    // Same seed keys: each instance has exactly the identities it had in the run.
    expect(canariesOf(again, victim)).toEqual(canariesOf(original.run, leak.sessionInstance));
    expect(canariesOf(again, reOwner)).toEqual(canariesOf(original.run, owner));
    // The same leak: the first session's email in the other's LLM request, whose own lookup never went out.
    const found = again.findings.filter((f) => f.class === 'leakage');
    expect(found).toHaveLength(1);
    const reversed = repro.stdout.includes('verdict: reproduced reversed');
    const [seenIn, from] = reversed ? [reOwner, victim] : [victim, reOwner];
    expect(found[0]).toMatchObject({ sessionInstance: seenIn, turn: leak.turn, evidence: { owner: from } });
    const fromEmail = again.instances.get(from)?.start.canaries.find((c) => c.type === 'email')?.value;
    expect(evidenceOf<{ hits: unknown[] }>(found[0]).hits).toContainEqual(expect.objectContaining({ type: 'email', value: fromEmail, where: expect.stringMatching(/^LLM request/) }));
    expect(again.instances.get(seenIn)?.calls.some((c) => c.kind === 'tool')).toBe(false);
    expect(again.instances.get(from)?.calls.filter((c) => c.kind === 'tool')).toHaveLength(1);
    // The trace shows both instances on one timeline, each line saying whose it is.
    expect(repro.stdout).toMatch(/^ +[\d.]+ +leak-acct-c\d+ +turn 0 sent +user > /m);
    expect(repro.stdout).toMatch(/^ +[\d.]+ +leak-acct-c\d+ +call tools\/lookup_account #0 /m);
  });

  it('profile-cache fixed: the same command finds no leak in any of 2 attempts', async () => {
    // "Fixing the app": a copy of the run whose resolved scenario starts the demo app without the defect.
    const fixedDir = `${original.runDir}-fixed`;
    await cp(original.runDir, fixedDir, { recursive: true });
    const scenarioPath = join(fixedDir, 'scenario.resolved.json');
    await writeFile(scenarioPath, (await readFile(scenarioPath, 'utf8')).replace('"DEFECTS": "profile-cache"', '"DEFECTS": "none"'));
    const args = leak.repro.replace(original.runDir, fixedDir).split(' ').slice(1);
    const repro = await rehearse(dir, [...args, '--repeat', '2']);
    expect(repro.code, repro.stderr).toBe(0);
    expect(repro.stdout).toContain('attempt 1 of up to 2: not reproduced (0 findings)');
    expect(repro.stdout).toContain('detectors: no findings');
    expect(repro.stdout).toContain('→ not seen in this replay');
    expect(repro.stdout).toContain('verdict: NOT reproduced in 2 attempts');
    const journals = reproJournals(repro.stderr);
    expect(journals).toHaveLength(2);
    for (const path of journals) {
      const again = groupJournal(await readJournal(path));
      expect(again.findings).toEqual([]);
      // Both lookups went out: nothing was coalesced.
      expect([...again.instances.values()].map((d) => d.calls.filter((c) => c.kind === 'tool').length)).toEqual([1, 1]);
    }
  });

  it('refuses --with combinations it cannot honour, saying why', async () => {
    const [, ...args] = leak.repro.split(' ');
    const emit = await rehearse(dir, [...args, '--emit-test', join(dir, 'x.test.ts'), '--app', 'app.ts']);
    expect(emit.code).toBe(2);
    expect(emit.stderr).toContain('--emit-test cannot be combined with --with');
    const self = await rehearse(dir, ['repro', original.runDir, leak.sessionInstance, '--with', leak.sessionInstance]);
    expect(self.code).toBe(2);
    expect(self.stderr).toContain(`--with ${leak.sessionInstance} names the instance being reproduced`);
    const repeat = await rehearse(dir, ['repro', original.runDir, leak.sessionInstance, '--repeat', '3']);
    expect(repeat.code).toBe(2);
    expect(repeat.stderr).toContain('--repeat needs --with <instance>');
  });
});
