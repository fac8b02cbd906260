import { afterAll, beforeAll, expect, test } from 'vitest';
import { CUSTOMERS } from '../../../examples/support-assistant/customer-dataset.ts';
import { chatStream, startStack, type Stack } from './observed-stack.ts';

let stack: Stack;
beforeAll(async () => {
  // Slow tools make the two sessions' calls interleave, which is what ALS must survive.
  stack = await startStack([], { latencyScale: 1.5 });
});
afterAll(() => stack.close());

function turnHeaders(session: string, turn: number, traceId: string): Record<string, string> {
  return {
    traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    tracestate: 'rehearsal=t61rcWkgMzE',
    baggage: `session.id=${session},turn=${turn}`,
    'x-rehearsal-run': 'run-42',
    'x-rehearsal-session': session,
    'x-rehearsal-turn': String(turn),
  };
}

test('every outbound call carries its own turn trace id, baggage and x-rehearsal-* headers, even interleaved', async () => {
  const a = CUSTOMERS[1]!;
  const b = CUSTOMERS[2]!;
  const traceA = '4bf92f3577b34da6a3ce929d0e0e4736';
  const traceB = '0af7651916cd43dd8448eb211c80319c';
  const traceC = 'a3ce929d0e0e47364bf92f3577b34da6';
  await Promise.all([
    stack.chat('sess-a', `Where is ${a.orders[0]!.order_id}? Email ${a.email}`, turnHeaders('sess-a', 1, traceA)),
    chatStream(stack.app.url, 'sess-b', `Where is ${b.orders[0]!.order_id}? I want a human`, turnHeaders('sess-b', 1, traceB)),
  ]);
  await stack.chat('sess-a', 'same order as before?', turnHeaders('sess-a', 2, traceC));

  const calls = stack.deps.calls;
  expect(new Set(calls.map((c) => c.path))).toEqual(
    new Set(['/retrieval/search', '/v1/chat/completions', '/tools/orders/lookup', '/tools/accounts/lookup', '/tools/tickets']),
  );
  const expected = new Map([
    [traceA, turnHeaders('sess-a', 1, traceA)],
    [traceB, turnHeaders('sess-b', 1, traceB)],
    [traceC, turnHeaders('sess-a', 2, traceC)],
  ]);
  const seenSpans = new Set<string>();
  for (const call of calls) {
    const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(call.headers.traceparent ?? '');
    expect(match, `${call.path} lacks a valid traceparent`).not.toBeNull();
    const sent = expected.get(match![1]!);
    expect(sent, `${call.path} carries an unknown trace id`).toBeDefined();
    // A fresh client span id per call, as an OpenTelemetry HTTP client span would create.
    expect(match![2]).not.toBe('00f067aa0ba902b7');
    seenSpans.add(match![2]!);
    for (const name of ['tracestate', 'baggage', 'x-rehearsal-run', 'x-rehearsal-session', 'x-rehearsal-turn']) {
      expect(call.headers[name], `${call.path} ${name}`).toBe(sent![name]);
    }
  }
  expect(seenSpans.size).toBe(calls.length);
  for (const trace of [traceA, traceB, traceC]) expect(calls.some((c) => c.headers.traceparent?.includes(trace))).toBe(true);
});

test('a turn without trace context starts its own trace and forwards no rehearsal headers', async () => {
  const before = stack.deps.calls.length;
  await stack.chat('sess-plain', 'hello?');
  const calls = stack.deps.calls.slice(before);
  const traceIds = new Set(calls.map((c) => c.headers.traceparent?.split('-')[1]));
  expect(traceIds.size).toBe(1);
  expect([...traceIds][0]).toMatch(/^[0-9a-f]{32}$/);
  for (const call of calls) expect(Object.keys(call.headers).filter((h) => h.startsWith('x-rehearsal-'))).toEqual([]);
});
