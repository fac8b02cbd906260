import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { endToEndHeaders, forward, type ForwardResult } from '../../src/record/proxy/forward.ts';
import { listenOnLoopback } from '../../src/util/loopback.ts';

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  return { server, url: await listenOnLoopback(server) };
}

describe('forward', () => {
  const agent = new Agent();
  const servers: Server[] = [];
  let results: ForwardResult[] = [];

  /** A proxy in front of `origin` that keeps each forward result. */
  async function proxyTo(origin: string): Promise<string> {
    const { server, url } = await listen((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        const headers = endToEndHeaders(req.headers);
        void forward({ dispatcher: agent, origin, path: req.url ?? '/', method: req.method ?? 'GET', headers, body: Buffer.concat(parts), origin0: performance.now(), now: () => performance.now() }, res).then((r) => results.push(r));
      });
    });
    servers.push(server);
    return url;
  }

  afterEach(() => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      s.close();
    }
    results = [];
  });
  afterAll(async () => {
    await agent.close();
  });

  it('drops hop-by-hop headers and those the connection header names', () => {
    const out = endToEndHeaders({ connection: 'keep-alive, X-Secret-Hop', 'x-secret-hop': '1', 'keep-alive': 'timeout=5', host: 'a', 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
    expect(out).toEqual({ 'content-type': 'text/plain' });
  });

  it('relays a chunked upstream answer whole, with its status and end-to-end headers, and records the body', async () => {
    const upstream = await listen((req, res) => {
      req.resume();
      res.writeHead(201, { 'content-type': 'application/json', 'x-app': 'yes' });
      res.write('{"reply":');
      setImmediate(() => res.end('"two parts"}'));
    });
    servers.push(upstream.server);
    const proxy = await proxyTo(upstream.url);
    const res = await fetch(`${proxy}/chat`, { method: 'POST', body: '{"message":"hi"}' });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-app')).toBe('yes');
    expect(await res.json()).toEqual({ reply: 'two parts' });
    await expect.poll(() => results.length).toBe(1);
    expect(results[0]?.body?.toString()).toBe('{"reply":"two parts"}');
    expect(results[0]?.error).toBeUndefined();
  });

  it('answers 502 naming the upstream when it refuses the connection, and records the error', async () => {
    const gone = await listen(() => undefined);
    gone.server.close();
    await once(gone.server, 'close');
    const proxy = await proxyTo(gone.url);
    const res = await fetch(`${proxy}/chat`);
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: string }).error).toContain(`upstream ${gone.url} failed`);
    await expect.poll(() => results.length).toBe(1);
    expect(results[0]).toMatchObject({ status: 502, error: { code: 'ECONNREFUSED' } });
  });

  it('a client leaving a streamed answer aborts the upstream request', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    const upstream = await listen((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      res.on('close', upstreamClosed); // never ends on its own
    });
    servers.push(upstream.server);
    const proxy = await proxyTo(upstream.url);
    const client = request(`${proxy}/stream`);
    client.end();
    const [res] = (await once(client, 'response')) as [IncomingMessage];
    const [first] = (await once(res, 'data')) as [Buffer];
    expect(first.toString()).toBe('data: first\n\n');
    client.destroy();
    await closed;
    await expect.poll(() => results.length).toBe(1);
    expect(results[0]).toMatchObject({ status: 200, error: { code: 'client_abort' } });
    expect(results[0]?.firstByteAt).toBeTypeOf('number');
  });
});
