/**
 * Regression: the recorder decoded every `baggage` member with a bare `decodeURIComponent`,
 * so one malformed member the app did not even own (`other=%zz`) threw, the call went
 * unattributed and counted as a recorder error although `rehearsal.session` was right there.
 * The recorder now shares the virtual dependencies' baggage parser, which skips such members.
 */
import { expect, it } from 'vitest';
import { readPropagated } from '../../src/record/propagation.ts';

it('a malformed baggage member does not hide the rehearsal members', () => {
  expect(readPropagated({ baggage: 'other=%zz,rehearsal.session=s-1,rehearsal.turn=4' })).toEqual({ session: 's-1', turn: 4 });
});

it('explicit x-rehearsal-* headers still win over baggage', () => {
  expect(readPropagated({ 'x-rehearsal-session': 'h', 'x-rehearsal-turn': '1', baggage: 'rehearsal.session=b,rehearsal.turn=2' })).toEqual({ session: 'h', turn: 1 });
});
