/**
 * The browser target against the demo app: one session of the bundled recording replayed
 * through the support assistant's chat page in headless Chromium (typed into the page, the
 * reply read from it), and the same session and seed replayed through the HTTP target. The
 * scenario is scenarios/repro.yaml (one session at a time, the nightly's faults), fixed app.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { groupJournal, readJournal } from '../../src/journal/journal-reader.ts';
import { runScenario } from '../../src/replay/index.ts';
import { REPO, deriveScenario } from '../e2e/derive-scenario.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** One short English session, sampled by the scenario's seed (the same in both runs). */
const SELECT = { sessions: 1, minTurns: 2, maxTurns: 3, segments: { language: ['en'] } };

interface Replayed {
  recordedSession: string;
  replies: string[];
}

async function replay(dir: string, edit: (scenario: Record<string, unknown>) => void): Promise<Replayed> {
  const { path } = await deriveScenario('repro', dir, {
    edit: (scenario) => {
      scenario.select = SELECT;
      const target = scenario.target as { start: { env: Record<string, string> } };
      target.start.env.DEFECTS = 'none';
      edit(scenario);
    },
  });
  const result = await runScenario({ scenarioPath: path, out: new PassThrough().resume(), err: new PassThrough().resume(), env: process.env, cwd: REPO });
  const run = groupJournal(await readJournal(join(result.runDir, 'journal.jsonl')));
  const [instance] = [...run.instances.values()];
  if (!instance) throw new Error(`no instance was played; see ${result.runDir}`);
  expect(instance.end?.status).toBe('completed');
  return { recordedSession: instance.start.recordedSession, replies: instance.turns.map((t) => t.reply.text) };
}

describe.skipIf(!existsSync(CHROMIUM))('browser target: a recorded session through the demo chat page', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('gets the same non-empty replies in Chromium as the HTTP target, turn by turn', async () => {
    const [browserDir, httpDir] = await Promise.all([mkdtemp(join(tmpdir(), 'rehearsal-browser-')), mkdtemp(join(tmpdir(), 'rehearsal-http-'))]);
    dirs.push(browserDir, httpDir);
    const [viaBrowser, viaHttp] = await Promise.all([
      replay(browserDir, (scenario) => {
        const target = scenario.target as Record<string, unknown>;
        delete target.request;
        delete target.reply;
        scenario.target = {
          ...target,
          type: 'browser',
          executablePath: CHROMIUM,
          page: {
            path: '/?session={{session}}',
            input: '[data-testid=chat-input]',
            send: '[data-testid=chat-send]',
            reply: '[data-testid=chat-message][data-role=assistant]',
            busy: '[data-testid=chat-busy]',
          },
        };
      }),
      replay(httpDir, () => {}),
    ]);
    expect(viaBrowser.recordedSession).toBe(viaHttp.recordedSession);
    expect(viaBrowser.replies.length).toBeGreaterThanOrEqual(2);
    for (const reply of viaBrowser.replies) expect(reply.trim()).not.toBe('');
    expect(viaBrowser.replies).toEqual(viaHttp.replies);
  }, 60_000);
});
