import { describe, expect, it } from 'vitest';
import { AdmissionPolicy } from '../../src/record/admission.ts';
import type { CapturedCall } from '../../src/record/captured-call.ts';
import type { ClosedSession } from '../../src/record/closed-session.ts';
import { SessionBook } from '../../src/record/session-book.ts';

/** A book on an injected clock whose closed sessions land in `closed`. */
function book(idleMs: number) {
  const clock = { now: 0 };
  const closed: ClosedSession[] = [];
  const sessions = new SessionBook({ admission: new AdmissionPolicy(1, []), kinds: { overrides: new Map() }, idleMs, now: () => clock.now, onClose: (s) => closed.push(s), onRejected: () => {} });
  const turn = (key: string, calls: CapturedCall[] = []) => {
    const t = sessions.begin({ startedWall: Date.UTC(2026, 0, 1) });
    sessions.assign(t, key, () => ({}));
    for (const c of calls) sessions.addCall(t, c);
    sessions.end(t, { text: `hi from ${key}` }, { status: 200, text: 'ok', latencyMs: 1 });
    return t;
  };
  return { clock, closed, sessions, turn };
}

describe('session book', () => {
  it('closes at most the given number of idle sessions per sweep, least recently active first', () => {
    const { clock, closed, sessions, turn } = book(1000);
    for (let i = 0; i < 2500; i++) turn(`s-${i}`);
    // s-0 is active again: it moves behind the others.
    clock.now = 10;
    turn('s-0');
    clock.now = 1005;
    expect([sessions.sweep(1000), sessions.sweep(1000), sessions.sweep(1000), sessions.sweep(1000)]).toEqual([1000, 1000, 499, 0]);
    expect(sessions.openSessions).toBe(1);
    expect(closed[0]?.build().id).toBe('s-1');
    clock.now = 1010;
    expect(sessions.sweep(1000)).toBe(1);
    expect(closed.at(-1)?.build().turns).toHaveLength(2);
  });

  it('skips a session with a turn in flight without stopping the sweep', () => {
    const { clock, sessions, turn } = book(100);
    const busy = sessions.begin({ startedWall: 0 });
    sessions.assign(busy, 'busy', () => ({}));
    turn('idle');
    clock.now = 500;
    expect(sessions.sweep()).toBe(1);
    expect(sessions.openSessions).toBe(1);
  });

  it('closing builds nothing: bodies are decoded only when the closed session is built', () => {
    const { clock, closed, sessions, turn } = book(100);
    let bodyReads = 0;
    const call: CapturedCall = {
      dependency: 'llm',
      path: '/v1/chat/completions',
      method: 'POST',
      url: 'http://llm.test/v1/chat/completions',
      requestHeaders: { 'content-type': 'application/json' },
      get requestBody() {
        bodyReads++;
        return Buffer.from(JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }));
      },
      startedAt: 0,
      endedAt: 3,
      response: { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"choices":[]}') },
    };
    const t = turn('with-call', [call]);
    clock.now = 200;
    sessions.sweep();
    // A call arriving after the close is not part of the closed session.
    expect(bodyReads).toBe(0);
    sessions.addCall(t, { ...call, path: '/late' });
    const session = closed[0]?.build();
    expect(session?.turns[0]?.exchanges.map((e) => e.path)).toEqual(['/v1/chat/completions']);
    expect(session?.turns[0]?.exchanges.map((e) => e.request.body)).toEqual([{ model: 'm', messages: [{ role: 'user', content: 'hi' }] }]);
  });
});
