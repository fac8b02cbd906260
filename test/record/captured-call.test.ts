import { describe, expect, it } from 'vitest';
import { toExchange, type CapturedCall } from '../../src/record/captured-call.ts';

const rules = { overrides: new Map() };

function call(dependency: string, path: string, body: unknown): CapturedCall {
  return {
    dependency,
    path,
    method: 'POST',
    url: `http://deps.internal/${dependency}${path}`,
    requestHeaders: { 'content-type': 'application/json' },
    requestBody: Buffer.from(JSON.stringify(body)),
    startedAt: 10,
    endedAt: 20,
    response: { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') },
  };
}

describe('exchange names', () => {
  it('names tool, retrieval and plain http calls by their path under the dependency, so two `lookup` endpoints differ', () => {
    const names = [
      call('tools', '/orders/lookup', { order_id: 'ORD-1' }),
      call('tools', '/accounts/lookup?verbose=1', { email: 'a@b.example' }),
      call('tools', '/tickets/', { summary: 'x' }),
      call('retrieval', '/search', { query: 'refund', top_k: 3 }),
      call('billing', '/v2/invoices', {}),
      call('billing', '/', {}),
    ].map((c) => toExchange(c, 0, rules).name);
    expect(names).toEqual(['orders/lookup', 'accounts/lookup', 'tickets', 'search', 'v2/invoices', 'billing']);
  });

  it('prefers what the body says it calls (tool, index), never a body `name`, and names LLM calls by model id', () => {
    expect(toExchange(call('tools', '/invoke', { tool: 'lookup_order', args: {} }), 0, rules).name).toBe('lookup_order');
    expect(toExchange(call('tools', '/customers', { name: 'Jane Doe' }), 0, rules).name).toBe('customers');
    expect(toExchange(call('search', '/query', { index: 'help-center', q: 'x' }), 0, rules)).toMatchObject({ kind: 'retrieval', name: 'help-center' });
    const llm = call('llm', '/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(toExchange(llm, 0, rules)).toMatchObject({ kind: 'llm', name: 'gpt-4o-mini' });
  });
});
