import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CUSTOMERS } from '../../../examples/support-assistant/customer-dataset.ts';
import { chatStream, llmRequests, startStack, type Stack } from './observed-stack.ts';

const customer = CUSTOMERS[0]!;
const order = customer.orders[0]!;

describe('support assistant app (fixed)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  test('GET /health answers ok', async () => {
    const response = await fetch(`${stack.app.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  test('GET / serves a self-contained chat page with stable test ids', async () => {
    const response = await fetch(`${stack.app.url}/?session=abc`);
    const html = await response.text();
    expect(response.headers.get('content-type')).toContain('text/html');
    for (const id of ['chat-input', 'chat-send', 'chat-busy', 'chat-messages']) expect(html).toContain(`data-testid="${id}"`);
    expect(html).toContain("'chat-message'");
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=/);
  });

  test('rejects malformed turns with 4xx and names the field', async () => {
    const post = (body: string, type = 'application/json') =>
      fetch(`${stack.app.url}/api/chat`, { method: 'POST', headers: { 'content-type': type }, body });
    expect((await post('{nope')).status).toBe(400);
    const missing = await post(JSON.stringify({ message: 'hi' }));
    expect(missing.status).toBe(400);
    expect((await missing.json()).error).toContain('session_id');
    expect((await post('hi', 'text/plain')).status).toBe(415);
    expect((await fetch(`${stack.app.url}/api/chat`)).status).toBe(405);
    expect((await fetch(`${stack.app.url}/nope`)).status).toBe(404);
  });

  test('multi-turn: history grows, tools run, replies use earlier facts, triage is present', async () => {
    const before = stack.deps.calls.length;
    const first = await stack.chat('happy-1', `Hi, I'm ${customer.name}. Where is my order ${order.order_id}? My email is ${customer.email}`);
    expect(first.reply).toContain(order.order_id);
    expect(first.reply).toContain(customer.email);
    expect(first.triage).toEqual({ name: customer.name, issue_type: expect.any(String), urgency: expect.stringMatching(/^(low|medium|high)$/) });

    await stack.chat('happy-1', 'ok thanks');
    const third = await stack.chat('happy-1', 'can I get a refund for the same order?');
    expect(third.reply).toContain(order.order_id);
    expect(third.triage.issue_type).toBe('refund');

    const calls = stack.deps.calls.slice(before);
    const paths = calls.map((call) => call.path);
    expect(paths).toContain('/tools/orders/lookup');
    expect(paths).toContain('/tools/accounts/lookup');
    expect(paths.filter((path) => path === '/retrieval/search')).toHaveLength(3);
    expect(calls.find((call) => call.path === '/tools/orders/lookup')!.body).toEqual({ order_id: order.order_id });

    // Turn 1: tool round trip with tool_call_id; later turns carry every earlier exchange.
    const asks = llmRequests(calls);
    const afterTools = asks.find((call) => call.body.messages.some((m: any) => m.role === 'tool'))!;
    const assistantCall = afterTools.body.messages.find((m: any) => m.tool_calls);
    expect(afterTools.body.messages.filter((m: any) => m.role === 'tool').map((m: any) => m.tool_call_id)).toEqual(
      assistantCall.tool_calls.map((c: any) => c.id),
    );
    expect(asks[0]!.body.tools.map((t: any) => t.function.name)).toEqual(['lookup_order', 'lookup_account', 'create_ticket']);
    const lastAsk = asks[asks.length - 1]!.body.messages;
    expect(lastAsk[0].role).toBe('system');
    expect(lastAsk.filter((m: any) => m.role === 'user').map((m: any) => m.content)).toEqual([
      expect.stringContaining(order.order_id),
      'ok thanks',
      'can I get a refund for the same order?',
    ]);
    expect(lastAsk.filter((m: any) => m.role === 'assistant')).toHaveLength(2);
    expect(lastAsk.some((m: any) => m.role === 'system' && m.content.startsWith('Relevant help-center articles:'))).toBe(true);

    const triageCalls = llmRequests(calls, { triage: true }).filter((call) => call.body.response_format);
    expect(triageCalls).toHaveLength(3);
    expect(triageCalls[0]!.body.response_format).toEqual({ type: 'json_object' });
  });

  test('sessions keep separate histories', async () => {
    await stack.chat('iso-a', `my email is ${customer.email}`);
    const other = await stack.chat('iso-b', 'what did I say my email was?');
    expect(other.reply).not.toContain(customer.email);
    expect(other.reply).toMatch(/could you share it again/);
  });

  test('answers in the customer language', async () => {
    const reply = await stack.chat('lang-1', `Hola, ¿dónde está mi pedido ${order.order_id}? Gracias`);
    expect(reply.reply).toMatch(/pedido/);
    expect(reply.reply).not.toMatch(/Thanks for reaching out/);
  });

  test('POST /api/chat/stream streams several deltas from the model stream, then the final body', async () => {
    const before = stack.deps.calls.length;
    const events = await chatStream(stack.app.url, 'stream-1', `Where is ${order.order_id}?`);
    const deltas = events.filter((e) => e.event === 'delta');
    const final = events[events.length - 1]!;
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(final.event).toBe('final');
    expect(final.data.session_id).toBe('stream-1');
    expect(deltas.map((e) => e.data.text).join('')).toBe(final.data.reply);
    expect(final.data.reply).toContain(order.order_id);
    expect(final.data.triage).toHaveProperty('urgency');
    const asks = llmRequests(stack.deps.calls.slice(before));
    expect(asks.length).toBe(2);
    for (const ask of asks) expect(ask.body.stream).toBe(true);
  });
});
