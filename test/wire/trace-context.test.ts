import { expect, it } from 'vitest';
import { baggageFor, parseBaggage, parseTraceparent, traceKeyFor, traceparentFor } from '../../src/wire/trace-context.ts';

it('traceparentFor and parseTraceparent agree, for any span id the app mints', () => {
  for (const [instance, turn] of [['s0007~c1', 0], ['a', 12], ['ünïcode id', 4095]] as const) {
    const sent = traceparentFor(instance, turn);
    expect(sent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(parseTraceparent(sent)).toEqual({ traceKey: traceKeyFor(instance), turn });
    expect(parseTraceparent(`${sent.slice(0, 35)}-ffffffffffffffff-00`)).toEqual({ traceKey: traceKeyFor(instance), turn });
  }
  expect(traceKeyFor('a')).not.toBe(traceKeyFor('b'));
  expect(parseTraceparent('not-a-traceparent')).toBeUndefined();
});

it('baggageFor and parseBaggage agree, among other members and properties', () => {
  expect(parseBaggage(`k=v;p=1, ${baggageFor('s 1,x', 3)};prop`)).toEqual({ session: 's 1,x', turn: 3 });
  expect(parseBaggage('rehearsal.turn=abc')).toEqual({});
});
