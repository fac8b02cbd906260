import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMERS } from '../../examples/support-assistant/customer-dataset.ts';
import type { Finding, Session } from '../../src/model/index.ts';
import { emitVitestTest } from '../../src/repro/emit-test.ts';
import { recordDemoSession } from './record-demo-session.ts';

const root = resolve(import.meta.dirname, '../..');
const customer = CUSTOMERS[0];
const orderId = customer?.orders[0]?.order_id ?? 'ORD-0';
let session: Session;
let dir: string;

beforeAll(async () => {
  session = await recordDemoSession('sess-demo', [`Hi, I'm ${customer?.email}. Where is my order ${orderId}?`, 'When will it arrive?', 'Can you check again?', 'What was my order number again?']);
  // Inside the checkout (so `vitest` and `msw` resolve) but outside test/ (so no other run picks it up).
  dir = await mkdtemp(join(root, '.repro-emit-'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Writes the emitted test and runs it with vitest in a child process. */
async function runEmitted(source: string, defects: string): Promise<{ status: number | null; output: string }> {
  const file = join(dir, `repro-${defects || 'none'}.test.ts`);
  await writeFile(file, source);
  const result = spawnSync(join(root, 'node_modules/.bin/vitest'), ['run', '--root', dir, file], {
    cwd: dir,
    env: { ...process.env, DEFECTS: defects, PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}`, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

const base = () => ({
  recording: 'recordings/demo.tar.gz',
  sessionId: session.id,
  session,
  seed: '7',
  faults: [],
  app: { module: join(root, 'test/repro/support-assistant-app.ts') },
  runtime: join(root, 'src/repro/msw-replay.ts'),
});

describe('emitVitestTest', () => {
  it('emits a test that replays a recorded demo session in-process and passes on the same app', async () => {
    const source = emitVitestTest(base());
    expect(source).toContain("import { setupServer } from 'msw/node'");
    expect(source).toContain(`expect(replies[3]?.text).toBe(${JSON.stringify(session.turns[3]?.output.text)})`);
    const run = await runEmitted(source, '');
    expect(run.output).toContain('1 passed');
    expect(run.status).toBe(0);
  });

  it('emits the finding condition: fails with history truncation on, passes with it off', async () => {
    const finding: Finding = {
      id: 'f1',
      class: 'context_loss',
      severity: 'high',
      title: `turn 3 LLM request lacks the fact ${orderId} (turn 0) from earlier turns`,
      runId: 'run-1',
      recordedSession: session.id,
      sessionInstance: 'i1',
      turn: 3,
      segment: session.segment,
      evidence: { summary: 'lost', missingFacts: [{ fact: orderId, kind: 'id', statedAtTurn: 0 }], call: { dependency: 'llm' } },
      repro: 'rehearse repro …',
    };
    const source = emitVitestTest({ ...base(), finding, faults: [{ kind: 'latency', dependency: 'retrieval', probability: 1, distribution: 'fixed', ms: 5 }] });
    expect(source).toContain(`expect(llmRequest).toContain(${JSON.stringify(orderId)})`);
    const broken = await runEmitted(source, 'history-truncation');
    expect(broken.status).toBe(1);
    expect(broken.output).toContain(orderId);
    const fixed = await runEmitted(source, 'none');
    expect(fixed.output).toContain('1 passed');
    expect(fixed.status).toBe(0);
  });
});
