/**
 * Regression: with a fault scoped to a session (`sessions: 0.15`: every lookup of the session
 * fails), the fixed demo app was reported as cascading because a later turn — itself faulted,
 * its lookups failing again — "diverged" from the fault-free control replay. A later turn is
 * judged against control only when it is free of failed faulted calls.
 */
import { describe, expect, it } from 'vitest';
import { RunBuilder, detect, httpError, llmExchange, session, user } from '../detect/build.ts';

const recorded = session('sess-r', [
  { input: 'where is ORD-482913?', reply: 'In transit.', structured: { issue_type: 'shipping' }, exchanges: [llmExchange([user('where is ORD-482913?')])] },
  { input: 'and ORD-482914?', reply: 'Delivered.', structured: { issue_type: 'shipping' }, exchanges: [llmExchange([user('and ORD-482914?')])] },
]);

function run(secondTurnFaulted: boolean): RunBuilder {
  const b = new RunBuilder();
  b.instance('i1', { recorded, faulted: true });
  let t = 1000;
  for (const turn of [0, 1]) {
    if (turn === 1 && !secondTurnFaulted) {
      b.call('i1', 1, { kind: 'tool', name: 'lookup_order', t: (t += 10) });
      b.turn('i1', 1, { reply: 'Could not check.', structured: { issue_type: 'unknown' } });
      continue;
    }
    for (let i = 0; i < 3; i++) b.call('i1', turn, { kind: 'tool', name: 'lookup_order', status: 503, faults: [httpError()], t: (t += 200 * 2 ** i + 5), durationMs: 4 });
    b.turn('i1', turn, { reply: 'I could not look that up; nothing was changed.', structured: { issue_type: 'unknown' } });
  }
  b.instance('i1~control', { recorded, variant: 'control', shadowOf: 'i1' });
  for (const turn of [0, 1]) b.call('i1~control', turn, { kind: 'tool', name: 'lookup_order' }).turn('i1~control', turn, { reply: 'ok', structured: { issue_type: 'shipping' } });
  return b;
}

describe('cascade: divergence from control skips turns that are faulted themselves', () => {
  it('does not report a later turn whose own calls were faulted', () => {
    expect(detect(run(true).build(), [recorded], 'cascade')).toEqual([]);
  });

  it('still reports a fault-free later turn that diverges', () => {
    expect(detect(run(false).build(), [recorded], 'cascade')).toMatchObject([{ turn: 1, title: expect.stringContaining('diverges') }]);
  });
});
