import { describe, expect, it } from 'vitest';
import { RunBuilder, depExchange, detect, httpError, llmExchange, session, toolResult, user } from './build.ts';

const recorded = session('sess-k', [
  {
    input: 'where is ORD-482913?',
    reply: 'Your order ORD-482913 is in transit.',
    exchanges: [llmExchange([user('where is ORD-482913?')]), depExchange('tool', 'lookup_order', { order_id: 'ORD-482913' }), llmExchange([user('where is ORD-482913?'), toolResult('{"status":"in_transit"}')])],
  },
  { input: 'thanks', reply: 'You are welcome!', structured: { issue_type: 'shipping' }, exchanges: [llmExchange([user('thanks')])] },
]);
const raw = 'POST http://127.0.0.1:9/tools/orders/lookup failed with HTTP 503: {"error":"injected"}';

/** The retry-storm defect: 9 attempts without backoff, a ticket filed with the raw error, success told to the model. */
function defective(b = new RunBuilder()): RunBuilder {
  b.instance('i1', { recorded, faulted: true });
  let t = 1000;
  for (let i = 0; i < 9; i++) b.call('i1', 0, { kind: 'tool', name: 'lookup_order', body: { order_id: 'ORD-482913' }, status: 503, responseBody: { error: 'injected' }, faults: [httpError()], t: (t += 5), durationMs: 4 });
  b.call('i1', 0, { kind: 'tool', name: 'create_ticket', body: { summary: `Auto-escalation: lookup_order failed: ${raw}`, order_id: 'ORD-482913' }, t: (t += 20) });
  b.call('i1', 0, { messages: [user('where is ORD-482913?'), toolResult('{"status":"resolved","message":"Order updated and ticket resolved."}')], t: (t += 100) });
  b.turn('i1', 0, { reply: 'Your order ORD-482913 is in transit.' });
  return b;
}

/** The fixed app: 3 attempts with backoff, then an honest tool result. */
function fixed(b = new RunBuilder()): RunBuilder {
  b.instance('i1', { recorded, faulted: true });
  let t = 1000;
  for (let i = 0; i < 3; i++) b.call('i1', 0, { kind: 'tool', name: 'lookup_order', body: { order_id: 'ORD-482913' }, status: 503, faults: [httpError()], t: (t += 200 * 2 ** i + 5), durationMs: 4 });
  b.call('i1', 0, { messages: [user('where is ORD-482913?'), toolResult('{"error":"unavailable","message":"The order system is not responding right now. Nothing was changed."}')], t: (t += 100) });
  b.turn('i1', 0, { reply: 'Sorry, I cannot look that up right now.' });
  return b;
}

describe('cascade', () => {
  it('reports the retry storm, the ticket built from the error and the success told to the model', () => {
    const findings = detect(defective().build(), [recorded], 'cascade');
    expect(findings.every((f) => f.sessionInstance === 'i1' && f.turn === 0)).toBe(true);
    const storm = findings.find((f) => f.title.includes('retry storm'));
    expect(storm?.evidence).toMatchObject({ attempts: 9, recordedCalls: 1, faults: ['http-error'] });
    const ticket = findings.find((f) => f.title.includes('side-effect'));
    expect(ticket).toMatchObject({ severity: 'critical', evidence: { call: { name: 'create_ticket' } } });
    expect(ticket?.evidence.echoed).toEqual(expect.arrayContaining(['HTTP 503']));
    const claim = findings.find((f) => f.title.includes('succeeded'));
    expect(claim?.evidence.toolClaims).toEqual(expect.arrayContaining([expect.objectContaining({ phrase: 'resolved' })]));
    expect(findings).toHaveLength(3);
  });

  it('finds nothing for bounded retries with backoff and an honest failure', () => {
    expect(detect(fixed().build(), [recorded], 'cascade')).toEqual([]);
  });

  it('finds nothing without an injected fault, however many calls', () => {
    const b = new RunBuilder().instance('i1', { recorded });
    for (let i = 0; i < 9; i++) b.call('i1', 0, { kind: 'tool', name: 'lookup_order', status: 503 });
    expect(detect(b.build(), [recorded], 'cascade')).toEqual([]);
  });

  it('reports a later turn that failed where the control replay answered', () => {
    const b = fixed();
    b.turn('i1', 1, { reply: '', status: 500, error: 'HTTP 500' });
    b.instance('i1~control', { recorded, variant: 'control', shadowOf: 'i1' });
    b.call('i1~control', 0, { kind: 'tool', name: 'lookup_order' }).turn('i1~control', 0, { reply: 'in transit' }).turn('i1~control', 1, { reply: 'You are welcome!' });
    expect(detect(b.build(), [recorded], 'cascade')).toMatchObject([{ turn: 1, severity: 'high', evidence: { control: 'i1~control', faultTurn: 0 } }]);
  });

  it('reports a later turn diverging from control, unless clean replays already differ there', () => {
    const build = (withNoise: boolean) => {
      const b = fixed();
      b.turn('i1', 1, { reply: 'ok', structured: { issue_type: 'technical' } });
      b.instance('i1~control', { recorded, variant: 'control', shadowOf: 'i1' }).turn('i1~control', 1, { reply: 'ok', structured: { issue_type: 'shipping' } });
      if (withNoise) {
        b.instance('i1~b1', { recorded, variant: 'baseline', shadowOf: 'i1' }).turn('i1~b1', 1, { reply: 'ok', structured: { issue_type: 'shipping' } });
        b.instance('i1~b2', { recorded, variant: 'baseline', shadowOf: 'i1' }).turn('i1~b2', 1, { reply: 'ok', structured: { issue_type: 'general' } });
      }
      return detect(b.build(), [recorded], 'cascade');
    };
    expect(build(false)).toMatchObject([{ turn: 1, severity: 'medium', title: expect.stringContaining('diverges') }]);
    expect(build(true)).toEqual([]);
  });
});
