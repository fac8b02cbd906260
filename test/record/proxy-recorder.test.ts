import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testAnonymizer, testPseudonym } from './test-anonymizer.ts';
import { openArchive } from '../../src/archive/index.ts';
import type { Session } from '../../src/model/index.ts';
import { startProxyRecorder, type ProxyRecorder } from '../../src/record/proxy/proxy-recorder.ts';
import { parseValueSource } from '../../src/record/value-source.ts';
import { CUSTOMER_EMAIL, SECRET_API_KEY, startApp, startLlm, startRetrieval, startTools, type AppOptions, type Running } from './fixture-app.ts';


async function readSessions(path: string): Promise<Session[]> {
  const reader = await openArchive(path);
  const out: Session[] = [];
  for await (const s of reader.sessions()) out.push(s);
  return out;
}

async function chat(base: string, session: string, message: string, stream = false): Promise<{ text: string; chunks: number }> {
  const res = await fetch(`${base}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ session_id: session, message, stream }),
  });
  if (!stream) return { text: ((await res.json()) as { reply: string }).reply, chunks: 1 };
  let text = '';
  let chunks = 0;
  const decoder = new TextDecoder();
  for await (const c of res.body as AsyncIterable<Uint8Array>) {
    text += decoder.decode(c, { stream: true });
    chunks++;
  }
  return { text, chunks };
}

describe('proxy recorder', () => {
  let dir: string;
  let llm: Running, tools: Running, retrieval: Running, app: Running;
  const appOptions: AppOptions = { deps: { llm: '', tools: '', retrieval: '' }, propagate: true };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rehearsal-proxy-'));
    [llm, tools, retrieval, app] = await Promise.all([startLlm(), startTools(), startRetrieval(), startApp(appOptions)]);
  });
  afterAll(async () => {
    await Promise.all([llm, tools, retrieval, app].map((s) => s?.close()));
    await rm(dir, { recursive: true, force: true });
  });

  async function recorder(out: string, extra: { idleMs?: number } = {}): Promise<ProxyRecorder> {
    const proxy = await startProxyRecorder({
      listen: { host: '127.0.0.1', port: 0 },
      upstream: app.url,
      deps: { llm: llm.url, tools: tools.url, retrieval: retrieval.url },
      out,
      anonymizer: testAnonymizer(),
      pseudonymizeId: testPseudonym,
      sessionFrom: parseValueSource('json:session_id', '--session-from'),
      inputFrom: parseValueSource('json:/message', '--input-from'),
      replyFrom: parseValueSource('json:/reply', '--reply-from'),
      ...extra,
    });
    appOptions.deps = { llm: `${proxy.url}/_deps/llm`, tools: `${proxy.url}/_deps/tools`, retrieval: `${proxy.url}/_deps/retrieval` };
    return proxy;
  }

  it('records 16 concurrent sessions with every exchange attributed to its turn, nothing raw on disk', async () => {
    const out = join(dir, 'concurrent.tar.gz');
    const proxy = await recorder(out);
    const replies = await Promise.all(
      Array.from({ length: 16 }, async (_, i) => {
        const first = await chat(proxy.url, `prod-session-${i}`, `hello from user ${i}, mail ${CUSTOMER_EMAIL}`);
        const second = await chat(proxy.url, `prod-session-${i}`, `where is order O${i}x?`);
        return [first.text, second.text];
      }),
    );
    expect(replies.every(([a, b]) => a?.includes('asked') && b?.includes('asked'))).toBe(true);
    const stats = await proxy.close();
    expect(stats.recordedSessions).toBe(16);
    expect(stats.unattributedCalls).toBe(0);

    const sessions = await readSessions(out);
    expect(sessions).toHaveLength(16);
    for (const s of sessions) {
      expect(s.id).not.toMatch(/^prod-session-/);
      expect(s.turns).toHaveLength(2);
      const [t0, t1] = s.turns as [Session['turns'][0], Session['turns'][0]];
      expect(t0.exchanges.map((e) => e.kind)).toEqual(['retrieval', 'llm']);
      expect(t1.exchanges.map((e) => e.kind)).toEqual(['retrieval', 'tool', 'llm']);
      // Attribution under concurrency: the tool call of turn 1 carries this session's order id.
      const order = /order (O\d+x)/.exec(t1.input.text)?.[1];
      expect(order).toBeDefined();
      expect(JSON.stringify(t1.exchanges[1]?.request.body)).toContain(order);
      expect(t1.exchanges[1]).toMatchObject({ dependency: 'tools', path: '/lookup_order', name: 'lookup_order' });
      expect(t1.exchanges[2]).toMatchObject({ dependency: 'llm', path: '/v1/chat/completions', name: 'gpt-test' });
      expect(t1.exchanges[2]?.llm?.messages.at(-1)?.content).toContain(order);
      expect(t1.exchanges[2]?.llm?.output[0]?.content).toContain('asked');
      expect(t1.output.text).toContain('asked');
      expect(t1.exchanges[2]?.request.headers.authorization).toBeUndefined();
    }
    const bytes = gunzipSync(await readFile(out)).toString('latin1');
    expect(bytes).not.toContain(SECRET_API_KEY);
    expect(bytes).not.toContain(CUSTOMER_EMAIL);
    expect(bytes).not.toContain('prod-session-');
  });

  it('passes SSE through chunk by chunk and records chunk offsets from the dependency and the reply', async () => {
    const out = join(dir, 'stream.tar.gz');
    const proxy = await recorder(out);
    const reply = await chat(proxy.url, 'stream-1', 'stream me something', true);
    expect(reply.chunks).toBeGreaterThan(1);
    await proxy.close();
    const [session] = await readSessions(out);
    const turn = session?.turns[0];
    const llmCall = turn?.exchanges.find((e) => e.kind === 'llm');
    const chunks = llmCall?.response?.chunks ?? [];
    expect(chunks.length).toBeGreaterThanOrEqual(5);
    // The fake model waits 20 ms between deltas: recorded offsets keep that spacing.
    const offsets = chunks.map((c) => c.offsetMs);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect((offsets.at(-1) ?? 0) - (offsets[0] ?? 0)).toBeGreaterThanOrEqual(4 * 20 - 5);
    expect(llmCall?.llm?.stream).toBe(true);
    expect(llmCall?.llm?.output[0]?.content).toContain('asked');
    expect(turn?.output.ttftMs).toBeLessThan(turn?.output.latencyMs ?? 0);
    expect(turn?.output.text).toContain('asked');
  });

  it('attributes by time when one turn is in flight, and counts calls it cannot attribute', async () => {
    appOptions.propagate = false;
    try {
      // Hold the crowd's turns until all six are in flight, so time cannot attribute them.
      let arrived = 0;
      let release = () => {};
      const allIn = new Promise<void>((r) => (release = r));
      const crowdGate = async () => {
        if (++arrived === 7) release();
        if (arrived > 1) await allIn;
      };
      const out = join(dir, 'unpropagated.tar.gz');
      const proxy = await recorder(out);
      appOptions.beforeDeps = crowdGate;
      await chat(proxy.url, 'alone', 'just me');
      expect(proxy.stats().unattributedCalls).toBe(0);
      await Promise.all(Array.from({ length: 6 }, (_, i) => chat(proxy.url, `crowd-${i}`, 'all at once')));
      const stats = await proxy.close();
      expect(stats.unattributedCalls).toBe(12);
      const sessions = await readSessions(out);
      const alone = sessions.find((s) => s.turns[0]?.input.text === 'just me');
      expect(alone?.turns[0]?.exchanges.map((e) => e.kind)).toEqual(['retrieval', 'llm']);
    } finally {
      appOptions.propagate = true;
      delete appOptions.beforeDeps;
    }
  });
});
