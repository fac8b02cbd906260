import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../src/archive/index.ts';
import type { Session } from '../../src/model/index.ts';
import { createRecorder } from '../../src/record/index.ts';
import { CUSTOMER_EMAIL, SECRET_API_KEY, createAppHandler, startLlm, startRetrieval, startTools, type Running } from './fixture-app.ts';
import { TEST_KEY } from './test-anonymizer.ts';
import { listenOnLoopback } from '../../src/util/loopback.ts';

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => unknown): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => void handler(req, res));
  return { url: await listenOnLoopback(server), server };
}

async function post(url: string, body: unknown): Promise<string> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.text();
}

async function sessionsOf(path: string): Promise<Session[]> {
  const out: Session[] = [];
  for await (const s of (await openArchive(path)).sessions()) out.push(s);
  return out;
}

describe('in-process recorder', () => {
  let dir: string;
  let llm: Running, tools: Running, retrieval: Running;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rehearsal-inproc-'));
    [llm, tools, retrieval] = await Promise.all([startLlm(10), startTools(), startRetrieval()]);
  });
  afterAll(async () => {
    await Promise.all([llm, tools, retrieval].map((s) => s?.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('ties fetch and node:http calls to their turn across 16 concurrent sessions, streamed and not', async () => {
    const out = join(dir, 'inproc.tar.gz');
    const recorder = createRecorder({
      out,
      key: TEST_KEY,
      sessionFrom: 'json:session_id',
      inputFrom: 'json:/message',
      replyFrom: 'json:/reply',
      deps: { llm: llm.url, tools: tools.url, retrieval: retrieval.url },
    });
    const handler = createAppHandler({ deps: { llm: llm.url, tools: tools.url, retrieval: retrieval.url }, propagate: false, toolClient: 'http' });
    const app = await serve(recorder.wrapHandler(handler));
    try {
      await Promise.all(
        Array.from({ length: 16 }, async (_, i) => {
          await post(`${app.url}/chat`, { session_id: `inproc-${i}`, message: `I am ${CUSTOMER_EMAIL}`, stream: i % 2 === 1 });
          await post(`${app.url}/chat`, { session_id: `inproc-${i}`, message: `where is order Q${i}q?`, stream: i % 2 === 1 });
        }),
      );
      await post(`${app.url}/health`, {});
    } finally {
      app.server.close();
    }
    const stats = await recorder.close();
    expect(stats).toMatchObject({ recordedSessions: 16, recordedTurns: 32, recordedExchanges: 80, unattributedCalls: 0, ignoredRequests: 1 });
    const sessions = await sessionsOf(out);
    for (const s of sessions) {
      const [t0, t1] = s.turns as [Session['turns'][0], Session['turns'][0]];
      expect(t0.exchanges.map((e) => e.kind)).toEqual(['retrieval', 'llm']);
      expect(t1.exchanges.map((e) => e.kind)).toEqual(['retrieval', 'tool', 'llm']);
      const order = /order (Q\d+q)/.exec(t1.input.text)?.[1] as string;
      const tool = t1.exchanges[1];
      expect(tool).toMatchObject({ dependency: 'tools', path: '/lookup_order', name: 'lookup_order', request: { body: { order_id: order } } });
      expect(tool?.response?.body).toMatchObject({ order, status: 'shipped' });
      const llmCall = t1.exchanges[2];
      expect(llmCall?.llm?.messages.at(-1)?.content).toContain(order);
      expect(llmCall?.llm?.output[0]?.content).toContain('asked');
      expect(t1.output.text).toContain('asked');
      if (llmCall?.llm?.stream) {
        expect(llmCall.response?.chunks?.length).toBeGreaterThanOrEqual(5);
        expect(t1.output.ttftMs).toBeDefined();
      }
    }
    expect(sessions.filter((s) => s.turns[0]?.exchanges[1]?.llm?.stream)).toHaveLength(8);
    const bytes = gunzipSync(await readFile(out)).toString('latin1');
    for (const raw of [SECRET_API_KEY, CUSTOMER_EMAIL, 'inproc-']) expect(bytes).not.toContain(raw);
  });

  it('works as connect-style middleware after a body parser', async () => {
    const out = join(dir, 'middleware.tar.gz');
    const recorder = createRecorder({ out, key: TEST_KEY, sessionFrom: 'json:/session/id', replyFrom: 'json:/answer', deps: { llm: llm.url } });
    const middleware = recorder.middleware();
    const app = await serve(async (req, res) => {
      const parts: Buffer[] = [];
      for await (const c of req) parts.push(c as Buffer);
      (req as { body?: unknown }).body = JSON.parse(Buffer.concat(parts).toString('utf8'));
      middleware(req, res, async () => {
        const body = (req as unknown as { body: { text: string } }).body;
        const r = await fetch(`${llm.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: body.text }] }),
        });
        const completion = (await r.json()) as { choices: Array<{ message: { content: string } }> };
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ answer: completion.choices[0]?.message.content }));
      });
    });
    try {
      await post(`${app.url}/ask`, { session: { id: 'mw-session-1' }, text: 'hello there' });
    } finally {
      app.server.close();
    }
    await recorder.close();
    const [session] = await sessionsOf(out);
    expect(session?.turns[0]?.input.request?.body).toMatchObject({ text: 'hello there' });
    expect(session?.turns[0]?.output.text).toContain('asked');
    expect(session?.turns[0]?.exchanges).toHaveLength(1);
    expect(session?.turns[0]?.exchanges[0]).toMatchObject({ kind: 'llm', name: 'gpt-test', dependency: 'llm' });
  });
});
