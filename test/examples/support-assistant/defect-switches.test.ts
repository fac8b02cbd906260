import { afterEach, describe, expect, test } from 'vitest';
import { CUSTOMERS } from '../../../examples/support-assistant/customer-dataset.ts';
import { ALL_DEFECTS, parseDefects, type DefectName } from '../../../examples/support-assistant/defects.ts';
import { llmRequests, startStack, type Fault, type Stack } from './observed-stack.ts';

const stacks: Stack[] = [];
async function stack(defects: DefectName[], options: { fault?: Fault; latencyScale?: number } = {}): Promise<Stack> {
  // The defects show without simulated dependency latency; only the faults add time.
  const started = await startStack(defects, { latencyScale: 0, ...options });
  stacks.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((s) => s.close()));
});

describe('parseDefects', () => {
  test('accepts comma lists, all, none and empty; rejects unknown names', () => {
    expect(parseDefects(undefined)).toEqual(new Set());
    expect(parseDefects('none')).toEqual(new Set());
    expect(parseDefects('all')).toEqual(new Set(ALL_DEFECTS));
    expect(parseDefects(' retry-storm, schema-rename ,')).toEqual(new Set(['retry-storm', 'schema-rename']));
    expect(() => parseDefects('retry-strom')).toThrow(/unknown defect "retry-strom".*history-truncation/);
  });
});

describe('history-truncation', () => {
  const customer = CUSTOMERS[3]!;
  const turns = [
    `Hi, I'm ${customer.name}, my email is ${customer.email} and my order is ${customer.orders[0]!.order_id}`,
    'ok',
    'and how long does shipping usually take?',
    'thanks',
    'what did I say my email was?',
  ];

  async function fifthTurn(defects: DefectName[]) {
    const s = await stack(defects);
    let reply = '';
    for (const text of turns) reply = (await s.chat('long-1', text)).reply;
    const asks = llmRequests(s.deps.calls);
    const userTexts = asks[asks.length - 1]!.body.messages.filter((m: any) => m.role === 'user').map((m: any) => m.content);
    return { reply, userTexts };
  }

  test('on: the 5th turn reaches the model without turn 1, and the reply has lost the email', async () => {
    const { reply, userTexts } = await fifthTurn(['history-truncation']);
    expect(userTexts).toEqual([turns[2], turns[3], turns[4]]);
    expect(reply).not.toContain(customer.email);
    expect(reply).toMatch(/don't have your email address/);
  });

  test('off: the 5th turn carries the whole conversation and the reply restates the email', async () => {
    const { reply, userTexts } = await fifthTurn([]);
    expect(userTexts).toEqual(turns);
    expect(reply).toContain(`your email is ${customer.email}`);
  });
});

describe('profile-cache', () => {
  const customers = CUSTOMERS.slice(0, 16);
  // Account lookups are the slow call, as they are in production, so concurrent sessions overlap
  // there; everything else answers at once to keep the sequential run short.
  const slowAccounts: Fault = (call) => (call.path === '/tools/accounts/lookup' ? { delayMs: 60 } : undefined);

  async function run(defects: DefectName[], concurrency: number) {
    const s = await stack(defects, { fault: slowAccounts, latencyScale: 0 });
    const replies = new Map<string, string>();
    const queue = customers.map((customer, index) => ({ customer, session: `pc-${index}` }));
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const { reply } = await s.chat(next.session, `Hi, can you check my account? My email is ${next.customer.email}`, {
            'x-rehearsal-session': next.session,
          });
          replies.set(next.session, reply);
        }
      }),
    );
    // Another customer's email in a reply, or in the tool results an LLM request carries.
    const leaks: string[] = [];
    customers.forEach((customer, index) => {
      const session = `pc-${index}`;
      const others = customers.filter((c) => c !== customer).map((c) => c.email);
      if (others.some((email) => replies.get(session)!.includes(email))) leaks.push(`reply of ${session}`);
      for (const ask of llmRequests(s.deps.calls).filter((call) => call.headers['x-rehearsal-session'] === session)) {
        if (others.some((email) => JSON.stringify(ask.body.messages).includes(email))) leaks.push(`llm request of ${session}`);
      }
    });
    return leaks;
  }

  test('on, 16 concurrent sessions: another customer profile shows up in replies and LLM requests', async () => {
    const leaks = await run(['profile-cache'], 16);
    expect(leaks.some((leak) => leak.startsWith('reply'))).toBe(true);
    expect(leaks.some((leak) => leak.startsWith('llm request'))).toBe(true);
  });

  test('off, 16 concurrent sessions: no leak', async () => {
    expect(await run([], 16)).toEqual([]);
  });

  test('on, one session at a time: no leak (the bug hides from sequential tests)', async () => {
    expect(await run(['profile-cache'], 1)).toEqual([]);
  });
});

describe('retry-storm', () => {
  const customer = CUSTOMERS[5]!;
  const orderId = customer.orders[0]!.order_id;
  const failingLookups: Fault = (call) =>
    call.path.endsWith('/lookup') ? { status: 500, body: { error: 'internal_error', message: 'orders-db: connection pool exhausted' } } : undefined;

  test('on: the failing tool is hammered, a ticket carries the raw error, and the reply claims success', async () => {
    const s = await stack(['retry-storm'], { fault: failingLookups });
    const { reply } = await s.chat('storm-1', `Where is my order ${orderId}?`);
    const lookups = s.deps.calls.filter((call) => call.path === '/tools/orders/lookup');
    expect(lookups.length).toBeGreaterThanOrEqual(6);
    const tickets = s.deps.calls.filter((call) => call.path === '/tools/tickets');
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.body.summary).toContain('orders-db: connection pool exhausted');
    expect(tickets[0]!.body.order_id).toBe(orderId);
    expect(reply).toMatch(/I've updated your order and your ticket TCK-\d+ is resolved/);
  });

  test('off: at most 3 attempts with growing backoff, no ticket, and an honest apology', async () => {
    const s = await stack([], { fault: failingLookups });
    const { reply } = await s.chat('storm-2', `Where is my order ${orderId}?`);
    const lookups = s.deps.calls.filter((call) => call.path === '/tools/orders/lookup');
    expect(lookups.length).toBeGreaterThanOrEqual(2);
    expect(lookups.length).toBeLessThanOrEqual(3);
    const gaps = lookups.slice(1).map((call, i) => call.startedAt - lookups[i]!.startedAt);
    expect(gaps[0]).toBeGreaterThanOrEqual(150);
    if (gaps[1] !== undefined) expect(gaps[1]).toBeGreaterThan(gaps[0]!);
    expect(s.deps.calls.some((call) => call.path === '/tools/tickets')).toBe(false);
    expect(reply).toMatch(/couldn't look up your order right now/);
    expect(reply).not.toMatch(/resolved|updated your order/);
  });

  test('off: a retry-after longer than the tool budget is honoured by giving up, not by hammering', async () => {
    const s = await stack([], {
      fault: (call) => (call.path === '/tools/orders/lookup' ? { status: 503, body: { error: 'busy' }, headers: { 'retry-after': '30' } } : undefined),
    });
    const { reply } = await s.chat('storm-3', `Where is my order ${orderId}?`);
    expect(s.deps.calls.filter((call) => call.path === '/tools/orders/lookup')).toHaveLength(1);
    expect(reply).toMatch(/couldn't look up your order/);
  });
});

describe('schema-rename', () => {
  const cases = [
    { message: 'I want a refund for my tent, it arrived torn', renamed: true },
    { message: 'Hola, mi contraseña no funciona y no puedo entrar en mi cuenta', renamed: true },
    { message: 'How long does standard shipping take?', renamed: false },
  ];

  test('on: refund and non-English turns emit `priority` instead of `urgency`; others keep the contract', async () => {
    const s = await stack(['schema-rename']);
    for (const [index, { message, renamed }] of cases.entries()) {
      const { triage } = await s.chat(`schema-${index}`, message);
      if (renamed) {
        expect(triage).toHaveProperty('priority');
        expect(triage).not.toHaveProperty('urgency');
      } else {
        expect(Object.keys(triage).sort()).toEqual(['issue_type', 'name', 'urgency']);
      }
    }
  });

  test('off: every turn keeps exactly name, issue_type, urgency', async () => {
    const s = await stack([]);
    for (const [index, { message }] of cases.entries()) {
      const { triage } = await s.chat(`schema-${index}`, message);
      expect(Object.keys(triage).sort()).toEqual(['issue_type', 'name', 'urgency']);
      expect(['low', 'medium', 'high']).toContain(triage.urgency);
    }
  });
});
