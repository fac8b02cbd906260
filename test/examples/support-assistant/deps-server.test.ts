import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CUSTOMERS } from '../../../examples/support-assistant/customer-dataset.ts';
import { startProductionDeps, type RunningDeps } from '../../../examples/support-assistant/deps-server.ts';
import { readSse } from '../../../examples/support-assistant/sse-reader.ts';
import { TOOL_DEFINITIONS } from '../../../examples/support-assistant/support-tools.ts';
import { TRIAGE_PROMPT } from '../../../examples/support-assistant/prompts.ts';

let deps: RunningDeps;
beforeAll(async () => {
  deps = await startProductionDeps({ port: 0, latencyScale: 0.2 });
});
afterAll(() => deps.close());

const customer = CUSTOMERS[0]!;
const order = customer.orders[0]!;

async function post(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${deps.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

function completions(messages: unknown[], extra: Record<string, unknown> = {}) {
  return post('/v1/chat/completions', { model: 'gpt-4o-mini', messages, tools: TOOL_DEFINITIONS, ...extra });
}

describe('rule-based model', () => {
  test('asks for tools when the latest user message names an order id or an email', async () => {
    const { status, body } = await completions([{ role: 'user', content: `where is ${order.order_id.toLowerCase()}? I'm ${customer.email}` }]);
    expect(status).toBe(200);
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0].finish_reason).toBe('tool_calls');
    const calls = body.choices[0].message.tool_calls;
    expect(calls.map((c: any) => [c.function.name, JSON.parse(c.function.arguments)])).toEqual([
      ['lookup_order', { order_id: order.order_id }],
      ['lookup_account', { email: customer.email }],
    ]);
    expect(calls[0].id).toMatch(/^call_/);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
  });

  test('answers from tool results, earlier turns and retrieved article titles; deterministic', async () => {
    const messages = [
      { role: 'system', content: 'You are Sam.' },
      { role: 'user', content: `Hi, my name is ${customer.name}, order ${order.order_id}` },
      { role: 'assistant', content: 'Thanks!' },
      { role: 'system', content: 'Relevant help-center articles:\n\n### Refund policy (id: hc-refund-policy, updated 2025-06-02)\nYou can return…' },
      { role: 'user', content: 'can I return the same order as before?' },
    ];
    const first = await completions(messages);
    const again = await completions(messages);
    const content: string = first.body.choices[0].message.content;
    expect(first.body.choices[0].finish_reason).toBe('stop');
    expect(content).toContain(customer.name.split(' ')[0]);
    expect(content).toContain(order.order_id);
    expect(content).toContain('“Refund policy”');
    expect(again.body.choices[0].message.content).toBe(content);
    expect(again.body.id).toBe(first.body.id);
  });

  test('answers in Spanish, German and French', async () => {
    const ask = async (text: string) => (await completions([{ role: 'user', content: text }])).body.choices[0].message.content as string;
    expect(await ask('Hola, quiero un reembolso por favor')).toMatch(/reembolsos/);
    expect(await ask('Hallo, ich habe mein Passwort vergessen')).toMatch(/Passwort/);
    expect(await ask("Bonjour, je n'ai toujours pas reçu ma commande")).toMatch(/commande|livraison/);
  });

  test('json_object mode returns the triage with the keys the prompt declares', async () => {
    const { body } = await completions(
      [{ role: 'system', content: TRIAGE_PROMPT }, { role: 'user', content: 'I was charged twice!!! fix this immediately. Regards,\nAna Ruiz' }],
      { response_format: { type: 'json_object' } },
    );
    expect(JSON.parse(body.choices[0].message.content)).toEqual({ name: 'Ana Ruiz', issue_type: 'billing', urgency: 'high' });
  });

  test('streams content as several chunk events ending with [DONE], tool calls as fragments', async () => {
    const stream = async (content: string): Promise<any[]> => {
      const response = await fetch(`${deps.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', stream: true, stream_options: { include_usage: true }, tools: TOOL_DEFINITIONS, messages: [{ role: 'user', content }] }),
      });
      expect(response.headers.get('content-type')).toBe('text/event-stream');
      const events: string[] = [];
      for await (const event of readSse(response.body!)) events.push(event.data);
      expect(events[events.length - 1]).toBe('[DONE]');
      return events.slice(0, -1).map((data) => JSON.parse(data));
    };
    const text = await stream('How long does shipping take?');
    const contentChunks = text.filter((c) => c.choices[0]?.delta.content);
    expect(contentChunks.length).toBeGreaterThan(3);
    expect(text.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(text[text.length - 1].usage.total_tokens).toBeGreaterThan(0);
    expect(text[text.length - 2].choices[0].finish_reason).toBe('stop');

    const tools = await stream(`status of ${order.order_id}?`);
    const fragments = tools.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(fragments[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'lookup_order', arguments: '' } });
    expect(fragments.length).toBeGreaterThan(2);
    expect(JSON.parse(fragments.map((f: any) => f.function.arguments ?? '').join(''))).toEqual({ order_id: order.order_id });
  });

  test('rejects a request without messages as an OpenAI-style 400', async () => {
    const { status, body } = await post('/v1/chat/completions', { model: 'm' });
    expect(status).toBe(400);
    expect(body.error.type).toBe('invalid_request_error');
  });
});

describe('tools and retrieval', () => {
  test('orders and accounts come from the seeded dataset; unknown ids are 404 JSON', async () => {
    expect(await post('/tools/orders/lookup', { order_id: order.order_id })).toMatchObject({ status: 200, body: { order_id: order.order_id, customer_email: customer.email } });
    expect(await post('/tools/accounts/lookup', { email: customer.email.toUpperCase() })).toMatchObject({ status: 200, body: { name: customer.name, phone: customer.phone } });
    expect(await post('/tools/orders/lookup', { order_id: 'ORD-1' })).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await post('/tools/accounts/lookup', { email: 'nobody@example.com' })).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect((await post('/tools/orders/lookup', {})).status).toBe(400);
  });

  test('tickets get ids; the same idempotency key returns the same ticket', async () => {
    const create = (key: string) =>
      fetch(`${deps.url}/tools/tickets`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify({ summary: 'help' }) }).then((r) => r.json());
    const a = await create('k1');
    expect(a.ticket_id).toMatch(/^TCK-\d+$/);
    expect((await create('k1')).ticket_id).toBe(a.ticket_id);
    expect((await create('k2')).ticket_id).not.toBe(a.ticket_id);
    expect(deps.tickets.length).toBe(2);
  });

  test('retrieval ranks the help center by keywords and honours top_k', async () => {
    const { status, body } = await post('/retrieval/search', { query: 'I was charged twice for my order', top_k: 2 });
    expect(status).toBe(200);
    expect(body.documents).toHaveLength(2);
    expect(body.documents[0]).toEqual({ id: 'hc-double-charge', title: 'I was charged twice', text: expect.any(String), updated_at: '2025-06-18' });
    expect((await post('/retrieval/search', { query: 'quiero un reembolso', top_k: 3 })).body.documents[0].title).toMatch(/refund/i);
  });
});
