import { once } from 'node:events';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors.ts';
import { groupJournal, readJournal, type RunData } from '../../src/journal/journal-reader.ts';
import type { CallEvent } from '../../src/model/index.ts';
import { runScenario, type RunOptions } from '../../src/replay/index.ts';
import { supportSession } from './recordings.ts';
import { scenarioDir } from './scenario-files.ts';

function options(scenarioPath: string, extra: Partial<RunOptions> = {}): RunOptions {
  return { scenarioPath, out: new PassThrough().resume(), err: new PassThrough().resume(), env: process.env, cwd: process.cwd(), ...extra };
}

async function journalOf(runDir: string): Promise<RunData> {
  return groupJournal(await readJournal(join(runDir, 'journal.jsonl')));
}

/** Per seed key: what each call of each turn was answered and which faults hit it (instance ids differ between runs). */
function callsBySeedKey(run: RunData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const data of run.instances.values()) {
    const key = `${data.start.recordedSession}~c${data.start.clone}/${data.start.variant}`;
    out[key] = data.calls
      .map((c: CallEvent) => ({ turn: c.turn, callIndex: c.callIndex, faults: c.faults, status: c.response?.status ?? null, body: c.response?.body ?? null, error: c.error?.code ?? null }))
      .sort((a, b) => (a.turn ?? -1) - (b.turn ?? -1) || a.callIndex - b.callIndex);
  }
  return out;
}

describe('runScenario against a staging app on loopback', () => {
  it('replays sessions through the virtual dependencies with re-keyed clones and an injected fault', async () => {
    const { scenarioPath } = await scenarioDir([supportSession(1), supportSession(2)], {
      load: { speed: 50, thinkTime: 'none', clones: 2 },
      faults: [{ kind: 'http-error', dependency: 'llm', turns: [1], status: 503 }],
      gates: ['leakage == 0', 'p95(turn_ms) < 0.001'],
      outputs: { dir: 'runs/{name}-{time}', reporters: ['json', 'junit'] },
    });
    const result = await runScenario(options(scenarioPath));
    expect(result.interrupted).toBe(false);
    // Gates are evaluated on the finished run: no leakage between clones, an impossible latency budget fails.
    expect(result.gates.map((g) => [g.expression, g.passed])).toEqual([
      ['leakage == 0', true],
      ['p95(turn_ms) < 0.001', false],
    ]);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(result.runDir, 'report.json'))).toBe(true);
    expect(existsSync(join(result.runDir, 'scenario.resolved.json'))).toBe(true);
    const run = await journalOf(result.runDir);
    expect(run.start.plannedInstances).toBe(4);
    expect(run.end?.interrupted).toBe(false);
    expect([...run.instances.values()].map((d) => d.end?.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    for (const data of run.instances.values()) {
      expect(data.turns).toHaveLength(3);
      expect(data.calls.map((c) => c.turn)).toEqual([0, 1, 2]);
      expect(data.calls.every((c) => c.instance === data.start.instance && c.match.mode === 'replay')).toBe(true);
      // The fault hit turn 1 and the app apologised; other turns were answered as recorded (re-keyed).
      expect(data.calls[1]?.faults.map((f) => f.kind)).toEqual(['http-error']);
      expect(data.turns[1]?.reply.text).toBe('Sorry, something went wrong.');
      const email = data.start.canaries[0]?.value as string;
      expect(email).not.toBe(data.start.canaries[0]?.recorded);
      expect(data.turns[0]?.input).toContain(email);
      expect(data.turns[2]?.reply.text).toContain(email);
    }
    // Two clones of one recorded session never share identities in what the app received.
    const byRecorded = new Map<string, string[]>();
    for (const d of run.instances.values()) byRecorded.set(d.start.recordedSession, [...(byRecorded.get(d.start.recordedSession) ?? []), d.start.canaries[0]?.value as string]);
    for (const emails of byRecorded.values()) expect(new Set(emails).size).toBe(2);
    const allInputs = [...run.instances.values()].map((d) => ({ email: d.start.canaries[0]?.value as string, received: JSON.stringify(d.calls.map((c) => c.request.body)) }));
    for (const a of allInputs) for (const b of allInputs) if (a !== b) expect(a.received).not.toContain(b.email);
  });

  it('forwards to a real upstream in proxy mode', async () => {
    const upstream = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'from the real staging model' } }] }));
      });
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    try {
      const port = (upstream.address() as { port: number }).port;
      const { scenarioPath } = await scenarioDir([supportSession(1, 2)], { dependencies: { llm: { kind: 'llm', mode: 'proxy', upstream: `http://127.0.0.1:${port}` } } });
      const run = await journalOf((await runScenario(options(scenarioPath))).runDir);
      const data = [...run.instances.values()][0];
      expect(data?.calls.map((c) => c.match.mode)).toEqual(['proxy', 'proxy']);
      expect(data?.turns.map((t) => t.reply.text)).toEqual(['from the real staging model', 'from the real staging model']);
    } finally {
      upstream.close();
    }
  });

  it('refuses a non-loopback target or upstream before sending anything', async () => {
    const { scenarioPath, dir } = await scenarioDir([supportSession(1)], {
      target: { type: 'http', url: 'https://api.example.com', reply: { text: '/reply' } },
      dependencies: { llm: { mode: 'proxy', upstream: 'https://llm.example.net' } },
    });
    const err = await runScenario(options(scenarioPath)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as HarnessError).code).toBe('GUARD');
    expect((err as HarnessError).message).toContain('target.url https://api.example.com');
    expect((err as HarnessError).message).toContain('dependencies.llm.upstream https://llm.example.net');
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(dir, 'runs'))).toBe(false);
  });

  it('gives every instance the same fault schedule and answers at concurrency 1 and 32', async () => {
    const sessions = Array.from({ length: 6 }, (_, i) => supportSession(i + 1, 3, 0));
    const { scenarioPath } = await scenarioDir(sessions, {
      load: { speed: 50, thinkTime: 'none', clones: 2 },
      faults: [
        { kind: 'http-error', dependency: 'llm', probability: 0.4, status: 500 },
        { kind: 'latency', dependency: 'llm', probability: 0.5, distribution: 'uniform', min: '1ms', max: '20ms' },
      ],
    });
    const one = await journalOf((await runScenario(options(scenarioPath, { concurrency: 1 }))).runDir);
    const many = await journalOf((await runScenario(options(scenarioPath, { concurrency: 32 }))).runDir);
    const a = callsBySeedKey(one);
    expect(Object.keys(a)).toHaveLength(12);
    expect(callsBySeedKey(many)).toEqual(a);
    const faultKinds = Object.values(a).flatMap((calls) => (calls as Array<{ faults: Array<{ kind: string }> }>).flatMap((c) => c.faults.map((f) => f.kind)));
    expect(faultKinds).toContain('http-error');
    expect(faultKinds).toContain('latency');
  });

  it('a target that dies mid-run fails the affected sessions with the cause, and the run still finishes', async () => {
    const crashing = supportSession(1, 3, 0);
    (crashing.turns[1] as (typeof crashing.turns)[number]).input.text = 'CRASH please';
    const { scenarioPath } = await scenarioDir([crashing, supportSession(2, 2, 1)], { load: { speed: 2, thinkTime: '200ms', concurrency: 1 } });
    const result = await runScenario(options(scenarioPath));
    const run = await journalOf(result.runDir);
    expect(run.end?.interrupted).toBe(false);
    const [first, second] = [...run.instances.values()];
    expect(first?.end).toMatchObject({ status: 'failed', error: expect.stringContaining('target process exited (code 3) during the run') });
    expect(first?.turns.map((t) => t.status)).toEqual([200, 200, 0]);
    expect(second?.end).toMatchObject({ status: 'failed', error: expect.stringContaining('turn 0: ') });
    expect(second?.end?.error).toContain('target.log');
  });

  it('--shard splits the planned sessions between shards without overlap (dry run)', async () => {
    const { scenarioPath } = await scenarioDir(Array.from({ length: 12 }, (_, i) => supportSession(i + 1)));
    const ids = async (index: number) => (await runScenario(options(scenarioPath, { dryRun: true, shard: { index, count: 3 } }))).plan?.sessions.ids ?? [];
    const parts = [await ids(1), await ids(2), await ids(3)];
    expect(parts.flat().sort()).toEqual(Array.from({ length: 12 }, (_, i) => `s${String(i + 1).padStart(3, '0')}`));
    expect(parts.every((p) => p.length > 0)).toBe(true);
  });

  it('an aborted signal stops new sessions, drains in-flight ones and still writes the journal end', async () => {
    const { scenarioPath } = await scenarioDir(Array.from({ length: 4 }, (_, i) => supportSession(i + 1, 2, i * 10)), { load: { speed: 1, thinkTime: 'none' } });
    const stop = new AbortController();
    const err = new PassThrough();
    err.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('rehearse: run ')) setTimeout(() => stop.abort(), 1500);
    });
    const result = await runScenario(options(scenarioPath, { signal: stop.signal, err }));
    expect(result.interrupted).toBe(true);
    const run = await journalOf(result.runDir);
    expect(run.end?.interrupted).toBe(true);
    expect(run.instances.size).toBeGreaterThan(0);
    expect(run.instances.size).toBeLessThan(4);
    for (const d of run.instances.values()) expect(d.end?.status).toBe('completed');
  });
});
