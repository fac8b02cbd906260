import { createServer } from 'node:http';
import { expect, it } from 'vitest';
import { request } from 'undici';
import { CallController } from '../../src/deps/call-controller.ts';
import { jsonReply } from '../../src/deps/faults/reply-body.ts';
import { systemClock } from '../../src/util/clock.ts';
import { closeNow, listenOnLoopback } from '../../src/util/loopback.ts';

it('a call is answered exactly once: a second answer is refused with a clear error', async () => {
  let second: unknown;
  const server = createServer(async (_req, res) => {
    const controller = new CallController(res, systemClock, 'POST /_deps/llm/v1/chat/completions (instance i, turn 2)');
    await controller.respondWith(jsonReply(200, { ok: true }), 'replay');
    second = await controller.respondWith(jsonReply(503, {}), 'fault').catch((err: unknown) => err);
  });
  const url = await listenOnLoopback(server);
  try {
    const res = await request(`${url}/`, { method: 'POST', body: '{}' });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ ok: true });
    for (let i = 0; i < 100 && second === undefined; i++) await new Promise((r) => setTimeout(r, 2));
    expect(second).toMatchObject({
      code: 'INTERNAL',
      message: 'POST /_deps/llm/v1/chat/completions (instance i, turn 2) was already answered by replay; a second answer by fault was refused',
    });
  } finally {
    await closeNow(server);
  }
});
