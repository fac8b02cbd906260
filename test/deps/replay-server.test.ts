import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { traceparentFor } from '../../src/deps/index.ts';
import { SseParser } from '../../src/wire/sse.ts';
import { callsAfter, fixtureSession, instance, liveBody, post, RECORDED_EMAIL, RECORDED_ORDER, startHarness, turnHeaders, type Harness } from './fixture.ts';

describe('virtual dependencies: replay', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.deps.close();
  });

  it('answers a plain call with the recorded answer, re-keyed to the instance', async () => {
    const ctx = instance('i-1');
    h.deps.register(ctx);
    const res = await post(`${h.deps.baseUrl('tools')}/tools/lookup_order`, liveBody(ctx, 0, 2), turnHeaders('i-1', 0));
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(RECORDED_EMAIL);
    expect(res.text).not.toContain(RECORDED_ORDER);
    const email = ctx.rekeyer.canaries.find((c) => c.recorded === RECORDED_EMAIL)?.value as string;
    expect(JSON.parse(res.text)).toMatchObject({ status: 'shipped', email });
    const [call] = await callsAfter(h, 1);
    expect(call).toMatchObject({ instance: 'i-1', turn: 0, dependency: 'tools', kind: 'tool', name: 'lookup_order', callIndex: 0, attribution: 'headers' });
    expect(call?.match).toMatchObject({ mode: 'replay', exchange: { turn: 0, index: 2 } });
    expect(call?.response?.body).toMatchObject({ email });
  });

  it('answers the n-th repeat of an LLM call in a turn with the n-th recorded one, and parses the request conversation', async () => {
    const ctx = instance('i-1');
    h.deps.register(ctx);
    const url = `${h.deps.baseUrl('llm')}/v1/chat/completions`;
    const first = JSON.parse((await post(url, liveBody(ctx, 0, 1), turnHeaders('i-1', 0))).text);
    const second = JSON.parse((await post(url, liveBody(ctx, 0, 3), turnHeaders('i-1', 0))).text);
    expect(first.choices[0].finish_reason).toBe('tool_calls');
    expect(second.choices[0].message.content).toContain('ships tomorrow');
    const calls = await callsAfter(h, 2);
    expect(calls.map((c) => c.match.mode === 'replay' && c.match.exchange.index)).toEqual([1, 3]);
    expect(calls[1]?.callIndex).toBe(1);
    expect(calls[1]?.llm?.messages.at(-1)?.role).toBe('tool');
  });

  it('replays a stream chunk by chunk, in recorded order, spaced by the recorded offsets', async () => {
    const ctx = instance('i-1');
    h.deps.register(ctx);
    const res = await request(`${h.deps.baseUrl('llm')}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...turnHeaders('i-1', 1) },
      body: JSON.stringify(liveBody(ctx, 1, 0)),
    });
    expect(res.headers['content-type']).toBe('text/event-stream');
    const parser = new SseParser();
    const arrivals: Array<{ at: number; data: string }> = [];
    const start = performance.now();
    for await (const piece of res.body) for (const ev of parser.push(String(piece))) arrivals.push({ at: performance.now() - start, data: ev.data });
    expect(arrivals.map((a) => a.data).at(-1)).toBe('[DONE]');
    const text = arrivals.slice(0, -1).map((a) => JSON.parse(a.data).choices[0].delta.content).join('');
    expect(text).toMatch(/^Your refund for [A-Z]{3}-\d{5} is on its way\.$/);
    expect(text).not.toContain(RECORDED_ORDER);
    // Lower bound only: the last chunk cannot arrive before its recorded offset (180 ms).
    expect(arrivals.at(-1)?.at).toBeGreaterThanOrEqual(170);
    const [call] = await callsAfter(h, 1);
    expect(call?.response?.chunks?.map((c) => c.offsetMs)).toEqual([0, 60, 120, 180]);
  });

  it('reuses the most similar recorded call for a retry beyond the recorded count, and says so', async () => {
    const ctx = instance('i-1');
    h.deps.register(ctx);
    const url = `${h.deps.baseUrl('tools')}/tools/lookup_order`;
    for (let i = 0; i < 2; i++) expect((await post(url, liveBody(ctx, 0, 2), turnHeaders('i-1', 0))).status).toBe(200);
    const calls = await callsAfter(h, 2);
    expect(calls[1]?.match).toMatchObject({ mode: 'replay', exchange: { turn: 0, index: 2 } });
    expect(calls[1]?.match.mode === 'replay' && calls[1].match.reason).toMatch(/repeat 2 .* beyond the 1 recorded .*reused turn 0 call 2/);
  });

  it('holds an answer until the promise holdUntil gives for that call resolves (a repro keeping the run order of answers)', async () => {
    await h.deps.close();
    const asked: string[] = [];
    let toolsAsked!: () => void;
    const toolsHeld = new Promise<void>((resolve) => (toolsAsked = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    h = await startHarness({
      holdUntil: (call) => {
        asked.push(`${call.instance} t${call.turn} ${call.dependency} #${call.callIndex}`);
        if (call.dependency !== 'tools') return undefined;
        toolsAsked();
        return gate;
      },
    });
    const ctx = instance('i-1');
    h.deps.register(ctx);
    let heldAnswered = false;
    const held = post(`${h.deps.baseUrl('tools')}/tools/lookup_order`, liveBody(ctx, 0, 2), turnHeaders('i-1', 0)).then((res) => {
      heldAnswered = true;
      return res;
    });
    await toolsHeld;
    // A call holdUntil does not hold is answered while the tools call is still held (by order, not by a time bound).
    expect((await post(`${h.deps.baseUrl('llm')}/v1/chat/completions`, liveBody(ctx, 0, 1), turnHeaders('i-1', 0))).status).toBe(200);
    expect(heldAnswered).toBe(false);
    const holdAt = performance.now() + 250;
    setTimeout(release, 250);
    expect((await held).status).toBe(200);
    expect(performance.now()).toBeGreaterThanOrEqual(holdAt);
    const calls = await callsAfter(h, 2);
    expect(calls.map((c) => c.dependency)).toEqual(['llm', 'tools']);
    const [llm, tools] = calls;
    // The held call's duration includes the hold; the other one's lies wholly inside it.
    expect(tools?.durationMs).toBeGreaterThanOrEqual(245);
    expect(llm?.durationMs).toBeLessThan(tools?.durationMs as number);
    expect(asked).toEqual(['i-1 t0 tools #0', 'i-1 t0 llm #0']);
  });

  it('refuses to register an instance twice', () => {
    h.deps.register(instance('i-1'));
    expect(() => h.deps.register(instance('i-1'))).toThrow(/already registered/);
  });
});

describe('virtual dependencies: unmatched calls', () => {
  it('error policy: 502 naming dependency, method, path, instance and turn, with the nearest candidate', async () => {
    const h = await startHarness();
    try {
      const ctx = instance('i-1');
      h.deps.register(ctx);
      // A second lookup with a different order: beyond the recorded count and not similar.
      const url = `${h.deps.baseUrl('tools')}/tools/lookup_order`;
      await post(url, liveBody(ctx, 0, 2), turnHeaders('i-1', 0));
      const res = await post(url, { order_id: 'ORD-99999', include: ['history', 'invoices'] }, turnHeaders('i-1', 0));
      expect(res.status).toBe(502);
      const err = JSON.parse(res.text).error;
      expect(err.message).toBe('no recorded answer for POST /tools/lookup_order on dependency tools (instance i-1, turn 0)');
      expect(err.nearest).toMatch(/turn 0 call 2 has path \/tools\/lookup_order but body differs in order_id/);
      const calls = await callsAfter(h, 2);
      expect(calls[1]?.match).toMatchObject({ mode: 'unmatched', policy: 'error', nearest: { turn: 0, index: 2 } });
    } finally {
      await h.deps.close();
    }
  });

  it('explains a path that was never recorded by the closest recorded call', async () => {
    const h = await startHarness();
    try {
      h.deps.register(instance('i-1'));
      const res = await post(`${h.deps.baseUrl('tools')}/tools/cancel_order`, { order_id: 'x' }, turnHeaders('i-1', 0));
      expect(res.status).toBe(502);
      const [call] = await callsAfter(h, 1);
      expect(call?.match).toMatchObject({ mode: 'unmatched', nearest: { why: 'turn 0 call 2 is POST /tools/lookup_order, not POST /tools/cancel_order' } });
    } finally {
      await h.deps.close();
    }
  });

  it('warn policy: the same answer plus a warning', async () => {
    const h = await startHarness({ dependencies: { tools: { unmatched: 'warn' } } });
    try {
      h.deps.register(instance('i-1'));
      const res = await post(`${h.deps.baseUrl('tools')}/tools/cancel_order`, { order_id: 'x' }, turnHeaders('i-1', 0));
      expect(res.status).toBe(502);
      expect(h.warnings).toHaveLength(1);
      expect(h.warnings[0]).toMatch(/no recorded answer for POST \/tools\/cancel_order .* nearest: turn 0 call 2 is POST \/tools\/lookup_order/);
      expect((await callsAfter(h, 1))[0]?.match).toMatchObject({ mode: 'unmatched', policy: 'warn' });
    } finally {
      await h.deps.close();
    }
  });

  it('an unknown dependency is a miss that lists the declared ones', async () => {
    const h = await startHarness();
    try {
      const res = await post(`${h.deps.url}/_deps/payments/charge`, {});
      expect(res.status).toBe(502);
      expect(JSON.parse(res.text).error.hint).toContain('declared: llm, tools, search');
    } finally {
      await h.deps.close();
    }
  });
});

describe('virtual dependencies: attribution', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.deps.register(instance('a'));
    h.deps.register(instance('b'));
  });
  afterEach(async () => {
    await h.deps.close();
  });
  const lookup = () => `${h.deps.baseUrl('tools')}/tools/lookup_order`;

  it('by x-rehearsal headers', async () => {
    await post(lookup(), {}, turnHeaders('b', 0));
    expect((await callsAfter(h, 1))[0]).toMatchObject({ instance: 'b', turn: 0, attribution: 'headers' });
  });

  it('by baggage', async () => {
    await post(lookup(), {}, { baggage: 'other=1,rehearsal.session=b,rehearsal.turn=1' });
    expect((await callsAfter(h, 1))[0]).toMatchObject({ instance: 'b', turn: 1, attribution: 'baggage' });
  });

  it('by traceparent, with a fresh span id as a propagating app sends it', async () => {
    const sent = traceparentFor('a', 1);
    const propagated = `${sent.slice(0, 35)}-0123456789abcdef-01`;
    await post(lookup(), {}, { traceparent: propagated });
    expect((await callsAfter(h, 1))[0]).toMatchObject({ instance: 'a', turn: 1, attribution: 'traceparent' });
  });

  it("by canary: the body holds exactly one instance's identities; the turn is its current one", async () => {
    h.deps.setTurn('a', 0);
    h.deps.setTurn('b', 1);
    const bCtx = instance('b'); // same seed key → same identities as the registered b
    await post(lookup(), liveBody(bCtx, 0, 2));
    expect((await callsAfter(h, 1))[0]).toMatchObject({ instance: 'b', turn: 1, attribution: 'canary' });
  });

  it('by time: exactly one instance has a turn in flight', async () => {
    h.deps.setTurn('a', 1);
    await post(lookup(), { order_id: 'unknown' });
    expect((await callsAfter(h, 1))[0]).toMatchObject({ instance: 'a', turn: 1, attribution: 'time' });
  });

  it('none: journaled with instance null and answered per the unmatched policy', async () => {
    h.deps.setTurn('a', 0);
    h.deps.setTurn('b', 0);
    const res = await post(lookup(), { order_id: 'unknown' }, { 'x-rehearsal-session': 'gone' });
    expect(res.status).toBe(502);
    expect(JSON.parse(res.text).error.message).toContain('could not attribute POST /tools/lookup_order on dependency tools');
    expect((await callsAfter(h, 1))[0]).toMatchObject({ instance: null, turn: null, attribution: 'none', match: { mode: 'unmatched' } });
  });

  it('never journals credential headers', async () => {
    await post(lookup(), {}, { ...turnHeaders('a', 0), authorization: 'Bearer sk-secret', 'x-api-key': 'k' });
    const [call] = await callsAfter(h, 1);
    expect(call?.request.headers).not.toHaveProperty('authorization');
    expect(call?.request.headers).not.toHaveProperty('x-api-key');
  });
});

it('fixture sanity: recorded LLM exchanges carry a parsed conversation', () => {
  expect(fixtureSession().turns[0]?.exchanges[1]?.llm?.messages.length).toBe(2);
});
