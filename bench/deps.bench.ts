/**
 * Virtual dependency benchmark: p99 latency the virtual dependency server adds to a replayed
 * call with no fault (header attribution, sequence match, re-keyed recorded answer, journal
 * event), against a bare node:http server answering the same body, measured in the same run
 * with the same undici client, requests alternating between the two so drift hits both.
 * Two rows: a tool call (small JSON) and an LLM chat-completions call (conversation parsed).
 * The machine is shared: each row runs `ROUNDS` rounds and keeps the least disturbed one
 * (smallest added p99), as the archive bench keeps its fastest run.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { createRekeyer } from '../src/anonymize/index.ts';
import { startVirtualDeps } from '../src/deps/index.ts';
import type { Exchange, Session } from '../src/model/index.ts';
import { DependencyConfig } from '../src/scenario/schema.ts';
import type { BenchRow, Benchmark } from './bench-row.ts';

const WARMUP = 300;
const SAMPLES = 1500;
const ROUNDS = 3;
const TARGET_ADDED_MS = 1;

const toolAnswer = { order: 'ORD-48213', status: 'shipped', email: 'maya.3fa2c1@harbor.example', items: Array.from({ length: 8 }, (_, i) => ({ sku: `SKU-${i}`, qty: i + 1 })) };
const messages = [
  { role: 'system', content: 'You are the support assistant. '.repeat(20) },
  { role: 'user', content: 'Where is my order ORD-48213? My email is maya.3fa2c1@harbor.example' },
];
const llmAnswer = { id: 'chatcmpl-1', object: 'chat.completion', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Your order ORD-48213 ships tomorrow. '.repeat(10) } }] };

function exchange(dependency: string, path: string, body: unknown, answer: unknown): Exchange {
  return {
    kind: dependency === 'llm' ? 'llm' : 'tool',
    name: dependency,
    dependency,
    path,
    request: { method: 'POST', url: `https://${dependency}.internal${path}`, headers: {}, body },
    response: { status: 200, headers: { 'content-type': 'application/json' }, body: answer },
    startOffsetMs: 0,
    durationMs: 10,
  };
}

const session: Session = {
  id: 'bench',
  startedAt: '2026-01-01T00:00:00.000Z',
  segment: {},
  identities: [{ type: 'email', surrogate: 'maya.3fa2c1@harbor.example' }, { type: 'custom:order_id', surrogate: 'ORD-48213' }],
  turns: [
    {
      index: 0,
      offsetMs: 0,
      input: { text: 'hi' },
      output: { status: 200, text: 'ok', latencyMs: 1 },
      exchanges: [exchange('tools', '/tools/lookup_order', { order_id: 'ORD-48213' }, toolAnswer), exchange('llm', '/v1/chat/completions', { model: 'gpt-test', messages }, llmAnswer)],
    },
  ],
};

const p99 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.99) - 1] ?? Number.NaN;

async function round(which: 0 | 1): Promise<{ bare: number; deps: number }> {
  const ex = session.turns[0]?.exchanges[which] as Exchange;
  const rekeyer = createRekeyer(session.identities, 'bench');
  const bareBody = JSON.stringify(rekeyer.apply(ex.response?.body));
  const bare = createServer({ keepAlive: true }, (req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(bareBody) }).end(bareBody));
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const deps = await startVirtualDeps({ dependencies: { tools: DependencyConfig.parse({}), llm: DependencyConfig.parse({}) }, faults: [], seed: 'b', onCall: () => {} });
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  const bareClient = new Pool(bareUrl, { connections: 1 });
  const depsClient = new Pool(deps.url, { connections: 1 });
  const requestBody = JSON.stringify(rekeyer.apply(ex.request.body));
  const depsPath = `/_deps/${ex.dependency}${ex.path}`;
  const bareTimes: number[] = [];
  const depsTimes: number[] = [];
  try {
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      // A fresh instance per call keeps every call on the first-match (sequence) path; registering is untimed.
      const instance = `i${i}`;
      deps.register({ instance, seedKey: instance, recorded: session, rekeyer, variant: 'main', faultsEnabled: true });
      const headers = { 'content-type': 'application/json', 'x-rehearsal-session': instance, 'x-rehearsal-turn': '0' };
      for (const [client, path, times] of [[bareClient, ex.path, bareTimes], [depsClient, depsPath, depsTimes]] as const) {
        const start = performance.now();
        const res = await client.request({ method: 'POST', path, headers, body: requestBody });
        await res.body.text();
        if (i >= WARMUP) times.push(performance.now() - start);
      }
      deps.unregister(instance);
    }
  } finally {
    await Promise.all([bareClient.close(), depsClient.close(), deps.close(), new Promise<void>((r) => bare.close(() => r()))]);
  }
  return { bare: p99(bareTimes), deps: p99(depsTimes) };
}

async function measure(name: string, which: 0 | 1): Promise<BenchRow> {
  let best: { bare: number; deps: number } | undefined;
  for (let r = 0; r < ROUNDS; r++) {
    const result = await round(which);
    if (!best || result.deps - result.bare < best.deps - best.bare) best = result;
  }
  const { bare: reference, deps } = best as { bare: number; deps: number };
  const figure = deps - reference;
  return {
    benchmark: `virtual dependency added latency p99, ${name}, no fault`,
    figure,
    unit: 'ms',
    referenceName: 'bare node:http p99',
    reference,
    ratio: deps / reference,
    target: `added ≤ ${TARGET_ADDED_MS} ms`,
    met: figure <= TARGET_ADDED_MS,
  };
}

export default (async () => [await measure('tool call', 0), await measure('LLM chat call', 1)]) satisfies Benchmark;
