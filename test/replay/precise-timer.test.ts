import { describe, expect, it } from 'vitest';
import { PreciseTimer } from '../../src/replay/precise-timer.ts';
import { ManualClock, systemClock } from '../../src/util/clock.ts';

describe('PreciseTimer', () => {
  it('never resolves before the due time on the system clock, even with many waiters at once', async () => {
    const timer = new PreciseTimer(systemClock);
    const origin = systemClock.now();
    const dues = Array.from({ length: 200 }, (_, i) => origin + (i % 50) * 0.7);
    const woke = await Promise.all(dues.map(async (due) => (await timer.until(due), systemClock.now())));
    woke.forEach((at, i) => expect(at).toBeGreaterThanOrEqual(dues[i] as number));
  });

  it('waits exactly on a manual clock and rejects when aborted', async () => {
    const clock = new ManualClock();
    const timer = new PreciseTimer(clock);
    let woke: number | undefined;
    void timer.until(250).then(() => (woke = clock.now()));
    await clock.advance(249);
    expect(woke).toBeUndefined();
    await clock.advance(1);
    expect(woke).toBe(250);
    const abort = new AbortController();
    abort.abort(new Error('stop'));
    await expect(timer.until(500, abort.signal)).rejects.toThrow('stop');
  });
});
