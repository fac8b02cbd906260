import { describe, expect, it } from 'vitest';
import { AnswerOrder, callKey } from '../../src/replay/answer-order.ts';
import { ManualClock } from '../../src/util/clock.ts';

const flush = () => new Promise((r) => setImmediate(r));
const call = (instance: string, turn: number, dependency: string, callIndex: number) => ({ instance, turn, dependency, callIndex });

describe('AnswerOrder (repro --with)', () => {
  // In the run: the victim's order lookup was answered at 100 ms, the owner's account lookup at 101 ms.
  const answers = [
    { instance: 'victim', key: callKey(0, 'tools', 0), at: 100 },
    { instance: 'owner', key: callKey(0, 'tools', 1), at: 101 },
  ];

  it("holds an answer until the other instance's earlier answers are given, then the margin, then its own run time", async () => {
    const clock = new ManualClock();
    const order = new AnswerOrder(answers, clock, () => 0);
    let ownerAnswered = false;
    void order.hold(call('owner', 0, 'tools', 1), new AbortController().signal)?.then(() => (ownerAnswered = true));
    // Later than its run time, but the victim's earlier answer has not been given yet.
    await clock.advance(500);
    await flush();
    expect(ownerAnswered).toBe(false);
    order.given('victim', callKey(0, 'tools', 0));
    await flush();
    expect(ownerAnswered).toBe(false);
    await clock.advance(10); // the margin for the app to act on the victim's answer
    await flush();
    expect(ownerAnswered).toBe(true);
  });

  it('never answers sooner than in the run, and waits for no answer of its own instance or none recorded', async () => {
    const clock = new ManualClock();
    const order = new AnswerOrder(answers, clock, () => 0);
    expect(order.hold(call('owner', 3, 'tools', 0), new AbortController().signal)).toBeUndefined();
    let victimAnswered = false;
    void order.hold(call('victim', 0, 'tools', 0), new AbortController().signal)?.then(() => (victimAnswered = true));
    await clock.advance(99);
    await flush();
    expect(victimAnswered).toBe(false);
    await clock.advance(1);
    await flush();
    expect(victimAnswered).toBe(true);
  });

  it('stops waiting for an answer the replay never gives after a capped time', async () => {
    const clock = new ManualClock();
    const order = new AnswerOrder(answers, clock, () => 0);
    let ownerAnswered = false;
    void order.hold(call('owner', 0, 'tools', 1), new AbortController().signal)?.then(() => (ownerAnswered = true));
    await clock.advance(1_009);
    await flush();
    expect(ownerAnswered).toBe(false);
    await clock.advance(1);
    await flush();
    expect(ownerAnswered).toBe(true);
  });
});
