import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { callsAfter, instance, post, startHarness, turnHeaders } from './fixture.ts';
import { closeNow, listenOnLoopback } from '../../src/util/loopback.ts';

/** A real staging dependency: echoes JSON calls, streams on /stream. */
let upstream: Server;
let upstreamUrl = '';
const seen: Array<{ url: string; headers: Record<string, unknown>; body: string }> = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body });
      if (req.url?.endsWith('/stream')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {"n":1}\n\n');
        setTimeout(() => res.end('data: {"n":2}\n\ndata: [DONE]\n\n'), 20);
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'yes' });
      res.end(JSON.stringify({ echoed: body ? JSON.parse(body) : null, path: req.url }));
    });
  });
  upstreamUrl = `${await listenOnLoopback(upstream)}/base`;
});
afterAll(() => closeNow(upstream));

describe('proxy mode', () => {
  it('forwards method, path, query, headers and body to the upstream and streams its answer back', async () => {
    const h = await startHarness({ dependencies: { crm: { mode: 'proxy', upstream: upstreamUrl } } });
    try {
      h.deps.register(instance('p'));
      const res = await post(`${h.deps.baseUrl('crm')}/accounts?limit=2`, { q: 'acme' }, { ...turnHeaders('p', 0), 'x-custom': 'kept' });
      expect(res.status).toBe(201);
      expect(res.headers['x-upstream']).toBe('yes');
      expect(JSON.parse(res.text)).toEqual({ echoed: { q: 'acme' }, path: '/base/accounts?limit=2' });
      expect(seen.at(-1)?.headers['x-custom']).toBe('kept');
      const [call] = await callsAfter(h, 1);
      expect(call).toMatchObject({ instance: 'p', match: { mode: 'proxy', upstream: upstreamUrl }, response: { status: 201, body: { path: '/base/accounts?limit=2' } } });

      const events: string[] = [];
      const streamed = await request(`${h.deps.baseUrl('crm')}/stream`, { method: 'POST', headers: turnHeaders('p', 0), body: '{}' });
      for await (const piece of streamed.body) events.push(String(piece));
      expect(events.join('')).toBe('data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n');
      expect((await callsAfter(h, 2))[1]?.response?.chunks?.map((c) => c.data).join('')).toBe(events.join(''));
    } finally {
      await h.deps.close();
    }
  });

  it('faults apply to proxied answers too (the body is materialised to be edited)', async () => {
    const h = await startHarness({ dependencies: { crm: { mode: 'proxy', upstream: upstreamUrl } }, faults: [{ kind: 'truncate', fraction: 0.3 }] });
    try {
      h.deps.register(instance('p'));
      const before = seen.length;
      const res = await post(`${h.deps.baseUrl('crm')}/accounts`, { q: 'acme' }, turnHeaders('p', 0));
      expect(seen.length).toBe(before + 1);
      expect(() => JSON.parse(res.text)).toThrow();
      expect(res.text.startsWith('{"echoed"')).toBe(true);
    } finally {
      await h.deps.close();
    }
  });

  it('an error fault never reaches the upstream', async () => {
    const h = await startHarness({ dependencies: { crm: { mode: 'proxy', upstream: upstreamUrl } }, faults: [{ kind: 'http-error', status: 503 }] });
    try {
      h.deps.register(instance('p'));
      const before = seen.length;
      expect((await post(`${h.deps.baseUrl('crm')}/accounts`, {}, turnHeaders('p', 0))).status).toBe(503);
      expect(seen.length).toBe(before);
    } finally {
      await h.deps.close();
    }
  });

  it('passthrough: an unmatched replay call is forwarded, and journaled as unmatched', async () => {
    const h = await startHarness({ dependencies: { tools: { unmatched: 'passthrough', upstream: upstreamUrl } } });
    try {
      h.deps.register(instance('p'));
      const res = await post(`${h.deps.baseUrl('tools')}/tools/cancel_order`, { order_id: 'x' }, turnHeaders('p', 0));
      expect(res.status).toBe(201);
      const [call] = await callsAfter(h, 1);
      expect(call?.match).toMatchObject({ mode: 'unmatched', policy: 'passthrough', nearest: { turn: 0, index: 2 } });
    } finally {
      await h.deps.close();
    }
  });

  it('an unreachable upstream is a 502 naming it', async () => {
    const h = await startHarness({ dependencies: { crm: { mode: 'proxy', upstream: 'http://127.0.0.1:9/x' } } });
    try {
      const res = await post(`${h.deps.baseUrl('crm')}/a`, {});
      expect(res.status).toBe(502);
      expect(JSON.parse(res.text).error.message).toMatch(/dependency crm: POST http:\/\/127\.0\.0\.1:9\/x\/a failed/);
    } finally {
      await h.deps.close();
    }
  });
});
