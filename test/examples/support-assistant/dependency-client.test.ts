import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { closeServer } from '../../../examples/support-assistant/close-server.ts';
import { backoffDelay, DependencyError, parseRetryAfter, postJson, type CallPolicy } from '../../../examples/support-assistant/dependency-client.ts';

const policy: CallPolicy = { deadlineMs: 3_000, maxRetries: 2, backoffMs: 200, honourRetryAfter: true };

test('parseRetryAfter reads delta-seconds and HTTP dates', () => {
  expect(parseRetryAfter('2')).toBe(2_000);
  expect(parseRetryAfter(null)).toBeUndefined();
  expect(parseRetryAfter('soon')).toBeUndefined();
  const now = Date.parse('2025-06-01T12:00:00Z');
  expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:03 GMT', now)).toBe(3_000);
  expect(parseRetryAfter('Sun, 01 Jun 2025 11:00:00 GMT', now)).toBe(0);
});

test('backoff doubles, and retry-after wins when it is longer', () => {
  expect([0, 1, 2].map((retry) => backoffDelay(policy, retry, undefined))).toEqual([200, 400, 800]);
  expect(backoffDelay(policy, 0, 1_000)).toBe(1_000);
  expect(backoffDelay(policy, 1, 100)).toBe(400);
  expect(backoffDelay({ ...policy, honourRetryAfter: false }, 0, 1_000)).toBe(200);
});

let url = '';
let hits = 0;
const server = createServer((request, response) => {
  hits++;
  if (request.url === '/flaky' && hits === 1) {
    response.writeHead(503, { 'retry-after': '1', 'content-type': 'application/json' });
    return response.end('{"error":"overloaded"}');
  }
  if (request.url === '/missing') {
    response.writeHead(404, { 'content-type': 'application/json' });
    return response.end('{"error":"not_found"}');
  }
  if (request.url === '/broken') {
    response.writeHead(500);
    return response.end('kaboom');
  }
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end('{"ok":true}');
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => closeServer(server));

test('waits out retry-after before retrying', async () => {
  hits = 0;
  const started = performance.now();
  const response = await postJson(`${url}/flaky`, {}, policy);
  expect(response).toEqual({ status: 200, body: { ok: true } });
  expect(hits).toBe(2);
  expect(performance.now() - started).toBeGreaterThanOrEqual(990);
});

test('a 404 is an answer, not a failure: no retry', async () => {
  hits = 0;
  expect(await postJson(`${url}/missing`, {}, policy)).toEqual({ status: 404, body: { error: 'not_found' } });
  expect(hits).toBe(1);
});

test('gives up after maxRetries with the raw error text', async () => {
  hits = 0;
  const error = await postJson(`${url}/broken`, {}, { ...policy, backoffMs: 10 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DependencyError);
  expect((error as DependencyError).message).toBe(`POST ${url}/broken failed with HTTP 500: kaboom`);
  expect((error as DependencyError).attempts).toBe(3);
  expect(hits).toBe(3);
});

test('connection refused is a network failure', async () => {
  const error = await postJson('http://127.0.0.1:1/x', {}, { ...policy, maxRetries: 0 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DependencyError);
  expect((error as DependencyError).kind).toBe('network');
});
