import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors.ts';
import { Target } from '../../src/scenario/schema.ts';
import { createTarget, functionTarget, propagationHeaders, startTarget, type SendContext, type TargetAdapter } from '../../src/target/index.ts';
import { closeNow, listenOnLoopback } from '../../src/util/loopback.ts';

const servers: Server[] = [];
const adapters: TargetAdapter[] = [];
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((a) => a.close()));
  await Promise.all(servers.splice(0).map(closeNow));
});

async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<string> {
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    handler(req, body, res);
  });
  servers.push(server);
  return listenOnLoopback(server);
}

const ctx = (instance: string, turn: number): SendContext => ({
  runId: 'run-1',
  instance,
  headers: propagationHeaders({ runId: 'run-1', instance, turn }),
  signal: new AbortController().signal,
});

async function target(config: unknown, url: string): Promise<TargetAdapter> {
  const adapter = await createTarget(Target.parse(config), { url, deps: { llm: 'http://127.0.0.1:1/_deps/llm' } });
  adapters.push(adapter);
  return adapter;
}

describe('http target', () => {
  it('renders the input and session id into path, query, header and body, sends attribution headers, extracts by pointer', async () => {
    let seen: { url?: string; headers?: IncomingMessage['headers']; body?: string } = {};
    const url = await serve((req, body, res) => {
      seen = { url: req.url ?? '', headers: req.headers, body };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ answer: { text: 'Hello Ada' }, triage: { urgency: 'high' } }));
    });
    const adapter = await target(
      {
        type: 'http',
        url: `${url}/api`,
        request: { path: '/chat/{{session}}?q={{input}}&t={{turn}}', headers: { 'X-Session': '{{session}}', 'x-llm': '{{deps.llm}}' }, body: { message: '{{input}}', meta: ['{{session}}'] } },
        reply: { text: '/answer/text', structured: '/triage' },
      },
      `${url}/api`,
    );
    const reply = await adapter.send({ index: 2, input: 'where is order #42?' }, ctx('r1-s1-c0', 2));
    expect(reply).toEqual({ status: 200, text: 'Hello Ada', structured: { urgency: 'high' } });
    expect(seen.url).toBe('/api/chat/r1-s1-c0?q=where%20is%20order%20%2342%3F&t=2');
    expect(JSON.parse(seen.body ?? '')).toEqual({ message: 'where is order #42?', meta: ['r1-s1-c0'] });
    expect(seen.headers).toMatchObject({
      'x-session': 'r1-s1-c0',
      'x-llm': 'http://127.0.0.1:1/_deps/llm',
      'x-rehearsal-run': 'run-1',
      'x-rehearsal-session': 'r1-s1-c0',
      'x-rehearsal-turn': '2',
      baggage: 'rehearsal.session=r1-s1-c0,rehearsal.turn=2',
    });
    expect(seen.headers?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('reports HTTP errors with their status, unreadable replies and refused connections in words', async () => {
    const url = await serve((req, _body, res) => {
      res.statusCode = req.url === '/down' ? 503 : 200;
      res.end(req.url === '/down' ? '{"error":"overloaded"}' : 'not json');
    });
    const down = await target({ type: 'http', url, request: { path: '/down' }, reply: { text: '/reply' } }, url);
    expect(await down.send({ index: 0, input: 'x' }, ctx('i', 0))).toEqual({ status: 503, text: '' });
    const text = await target({ type: 'http', url, reply: { text: '/reply' } }, url);
    expect(await text.send({ index: 0, input: 'x' }, ctx('i', 0))).toMatchObject({ status: 200, text: 'not json', error: expect.stringContaining('not JSON') });
    const refused = await target({ type: 'http', url: 'http://127.0.0.1:1', reply: { text: '/reply' } }, 'http://127.0.0.1:1');
    expect(await refused.send({ index: 0, input: 'x' }, ctx('i', 0))).toMatchObject({ status: 0, error: expect.stringMatching(/POST http:\/\/127\.0\.0\.1:1\/: ECONNREFUSED/) });
  });

  it('gives up after target.timeout with a clear cause', async () => {
    const url = await serve(() => {});
    const adapter = await target({ type: 'http', url, timeout: 200, reply: { text: '/reply' } }, url);
    expect(await adapter.send({ index: 0, input: 'x' }, ctx('i', 0))).toMatchObject({ status: 0, error: expect.stringContaining('no reply within 200 ms') });
  });
});

describe('sse target', () => {
  it('assembles text from text events, reads the final event, measures TTFT and gaps', async () => {
    const url = await serve((_req, _body, res) => {
      res.setHeader('content-type', 'text/event-stream');
      res.write('event: delta\ndata: {"t":"Hel"}\n\n');
      setTimeout(() => {
        res.write(': keep-alive\n\nevent: delta\ndata: {"t":"lo"}\n\n');
        res.write('event: done\ndata: {"text":"Hello!","triage":{"urgency":"low"}}\n\n');
        res.end();
      }, 30);
    });
    const adapter = await target({ type: 'sse', url, stream: { textEvents: ['delta'], textField: '/t', finalEvent: 'done', finalText: '/text', structured: '/triage' } }, url);
    const reply = await adapter.send({ index: 0, input: 'hi' }, ctx('i', 0));
    expect(reply).toMatchObject({ status: 200, text: 'Hello!', structured: { urgency: 'low' } });
    expect(reply.ttftMs).toBeGreaterThanOrEqual(0);
    expect(reply.gapsMs).toHaveLength(1);
    expect(reply.gapsMs?.[0]).toBeGreaterThan(0);
  });

  it('stops at the done marker and keeps partial text when the stream breaks', async () => {
    const url = await serve((req, _body, res) => {
      res.setHeader('content-type', 'text/event-stream');
      if (req.url === '/cut') {
        res.write('data: par\n\n');
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      res.write('data: a\n\ndata: b\n\ndata: [DONE]\n\ndata: ignored\n\n');
      res.end();
    });
    const done = await target({ type: 'sse', url, stream: { doneData: '[DONE]' } }, url);
    expect(await done.send({ index: 0, input: 'x' }, ctx('i', 0))).toMatchObject({ status: 200, text: 'ab' });
    const cut = await target({ type: 'sse', url, request: { path: '/cut' } }, url);
    expect(await cut.send({ index: 0, input: 'x' }, ctx('i', 0))).toMatchObject({ status: 0, text: 'par', error: expect.stringContaining('/cut') });
  });
});

describe('function target', () => {
  it('calls the function with input and context and reports what it throws', async () => {
    const adapter = functionTarget(async (input, c) => (input === 'boom' ? Promise.reject(new Error('kaput')) : { text: `${c.instance}/${c.turn}: ${input}`, structured: { n: 1 } }), 1000);
    expect(await adapter.send({ index: 1, input: 'hi' }, ctx('i1', 1))).toEqual({ status: 200, text: 'i1/1: hi', structured: { n: 1 } });
    expect(await adapter.send({ index: 1, input: 'boom' }, ctx('i1', 1))).toEqual({ status: 0, text: '', error: 'target function threw: kaput' });
  });

  it('loads a module export named in the scenario, or says which exports exist', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rehearsal-fn-'));
    const module = join(dir, 'app.mjs');
    await writeFile(module, 'export const reply = async (input) => "echo " + input;\n');
    const adapter = await target({ type: 'function', module, export: 'reply' }, '');
    expect(await adapter.send({ index: 0, input: 'x' }, ctx('i', 0))).toEqual({ status: 200, text: 'echo x' });
    const err = await target({ type: 'function', module }, '').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as HarnessError).hint).toContain('exports found: reply');
  });
});

describe('started target process', () => {
  const APP = `
    const http = require('node:http');
    const port = Number(process.argv[2]);
    http.createServer((req, res) => {
      if (req.url === '/health') return res.end('ok');
      if (req.url === '/die') { res.end('{}'); setTimeout(() => process.exit(3), 10); return; }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ reply: process.env.LLM_URL }));
    }).listen(port, '127.0.0.1', () => console.log('listening on ' + port));
  `;

  it('picks a port, passes dependency URLs, waits for health, logs output, and names the cause when it dies', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rehearsal-start-'));
    await writeFile(join(dir, 'app.cjs'), APP);
    const log = join(dir, 'target.log');
    const started = await startTarget(
      { command: 'node app.cjs {{port}}', cwd: dir, env: { LLM_URL: '{{deps.llm}}' }, health: 'http://127.0.0.1:{{port}}/health', timeout: 10_000 },
      { llm: 'http://127.0.0.1:9/_deps/llm' },
      log,
    );
    try {
      const url = `http://127.0.0.1:${started.port}`;
      const adapter = await createTarget(Target.parse({ type: 'http', url, reply: { text: '/reply' } }), { url, deps: {}, deadCause: started.deadCause });
      adapters.push(adapter);
      expect(await adapter.send({ index: 0, input: 'x' }, ctx('i', 0))).toEqual({ status: 200, text: 'http://127.0.0.1:9/_deps/llm' });
      const die = await createTarget(Target.parse({ type: 'http', url, request: { path: '/die' }, reply: { text: '/reply' } }), { url, deps: {}, deadCause: started.deadCause });
      adapters.push(die);
      await die.send({ index: 0, input: 'x' }, ctx('i', 0));
      for (let i = 0; i < 100 && started.deadCause() === undefined; i++) await new Promise((r) => setTimeout(r, 20));
      const after = await adapter.send({ index: 1, input: 'x' }, ctx('i', 1));
      expect(after).toMatchObject({ status: 0, error: expect.stringContaining('target process exited (code 3) during the run') });
    } finally {
      await started.stop();
    }
    expect(await readFile(log, 'utf8')).toMatch(/listening on \d+/);
  });

  it('fails with TARGET when the process exits before it is healthy', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rehearsal-start-'));
    const err = await startTarget({ command: 'echo starting; exit 7', cwd: dir, env: {}, health: 'http://127.0.0.1:{{port}}/health', timeout: 10_000 }, {}, join(dir, 'target.log')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as HarnessError).code).toBe('TARGET');
    expect((err as HarnessError).message).toContain('exited (code 7)');
  });
});
