import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Target } from '../../src/scenario/schema.ts';
import { createTarget, propagationHeaders, type TargetAdapter, type TargetEnvironment } from '../../src/target/index.ts';
import { closeNow, listenOnLoopback } from '../../src/util/loopback.ts';

const servers: Server[] = [];
const adapters: TargetAdapter[] = [];
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((a) => a.close()));
  await Promise.all(servers.splice(0).map(closeNow));
});

/** A staging app that counts the sockets it accepted and answers GET /health, POST /chat (JSON or SSE). */
async function countingApp(): Promise<{ url: string; accepted: () => number; paths: string[] }> {
  let accepted = 0;
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      if (req.url === '/health') return void res.end('ok');
      if (req.url !== '/chat') return void res.writeHead(404).end();
      if (req.headers.accept === 'text/event-stream') {
        res.setHeader('content-type', 'text/event-stream');
        return void res.end('data: hi\n\n');
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ reply: 'hi' }));
    });
  });
  server.on('connection', () => accepted++);
  servers.push(server);
  return { url: await listenOnLoopback(server), accepted: () => accepted, paths };
}

async function target(config: unknown, env: TargetEnvironment): Promise<TargetAdapter> {
  const adapter = await createTarget(Target.parse(config), env);
  adapters.push(adapter);
  return adapter;
}

const turn = (instance: string) => ({ runId: 'r', instance, headers: propagationHeaders({ runId: 'r', instance, turn: 0 }), signal: new AbortController().signal });
const signal = new AbortController().signal;

describe('target warm-up', () => {
  it('http: opens as many keep-alive connections as asked with GETs, and turns reuse them', async () => {
    const app = await countingApp();
    const adapter = await target({ type: 'http', url: app.url, request: { path: '/chat', body: { input: '{{input}}' } }, reply: { text: '/reply' } }, { url: app.url, deps: {}, connections: 4 });
    expect(await adapter.warmUp?.({ path: '/health', connections: 4, signal })).toEqual({ open: 4, ok: 4, failed: 0, errors: [] });
    expect(app.accepted()).toBe(4);
    expect(app.paths).toEqual(Array.from({ length: 4 }, () => 'GET /health'));
    const replies = await Promise.all(['a', 'b', 'c', 'd'].map((id) => adapter.send({ index: 0, input: 'hello' }, turn(id))));
    expect(replies.map((r) => r.text)).toEqual(['hi', 'hi', 'hi', 'hi']);
    expect(app.accepted()).toBe(4);
  });

  it('sse: the same through its pool; an unbounded pool opens the number asked for', async () => {
    const app = await countingApp();
    const adapter = await target({ type: 'sse', url: app.url, request: { path: '/chat' } }, { url: app.url, deps: {} });
    expect(await adapter.warmUp?.({ path: '/health', connections: 3, signal })).toMatchObject({ open: 3, ok: 3, failed: 0 });
    expect((await adapter.send({ index: 0, input: 'hello' }, turn('a'))).text).toBe('hi');
    expect(app.accepted()).toBe(3);
  });

  it('reports failing requests instead of throwing', async () => {
    const app = await countingApp();
    const adapter = await target({ type: 'http', url: app.url, reply: { text: '/reply' } }, { url: app.url, deps: {}, connections: 2 });
    expect(await adapter.warmUp?.({ path: '/missing', connections: 2, signal })).toEqual({ open: 2, ok: 0, failed: 2, errors: ['GET /missing: 404'] });
    // Nothing listens any more: every request fails, no connection opens.
    await closeNow(servers.pop() as Server);
    const gone = await target({ type: 'http', url: app.url, reply: { text: '/reply' } }, { url: app.url, deps: {}, connections: 2 });
    const refused = await gone.warmUp?.({ path: '/health', connections: 2, signal });
    expect(refused).toMatchObject({ open: 0, ok: 0, failed: 2 });
    expect(refused?.errors[0]).toMatch(/^GET \/health: ECONNREFUSED/);
  });
});
