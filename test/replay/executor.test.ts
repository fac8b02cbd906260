import { describe, expect, it } from 'vitest';
import { executePlan } from '../../src/replay/executor.ts';
import type { LoadPlan, ScheduledInstance, StartRule } from '../../src/replay/plan.ts';
import { PreciseTimer } from '../../src/replay/precise-timer.ts';
import { ManualClock } from '../../src/util/clock.ts';

function inst(id: string, start: StartRule): ScheduledInstance {
  const shadowOf = 'after' in start ? start.after : undefined;
  return { instance: id, seedKey: `${id}~c0`, recordedId: id, clone: 0, variant: shadowOf ? 'control' : 'main', faulted: false, start, ...(shadowOf ? { shadowOf } : {}) };
}

/** Runs the plan on a manual clock; each instance "plays" for `busyMs` of clock time. */
async function run(plan: LoadPlan, opts: { concurrency?: number; maxDurationMs?: number; busyMs?: number; stopAt?: number } = {}) {
  const clock = new ManualClock();
  const timer = new PreciseTimer(clock);
  const log: Array<{ id: string; intended: number; startedAt: number; endedAt?: number; aborted?: boolean }> = [];
  const stop = new AbortController();
  const done = executePlan({
    plan,
    timer,
    origin: 0,
    stop: stop.signal,
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    ...(opts.maxDurationMs ? { maxDurationMs: opts.maxDurationMs } : {}),
    play: async (i, intended, signal) => {
      const entry: (typeof log)[number] = { id: i.instance, intended, startedAt: clock.now() };
      log.push(entry);
      await Promise.race([clock.sleep(opts.busyMs ?? 150), new Promise((r) => signal.addEventListener('abort', r, { once: true }))]);
      entry.endedAt = clock.now();
      entry.aborted = signal.aborted;
    },
  });
  for (let t = 0; t < 3000; t += 10) {
    if (opts.stopAt !== undefined && t === opts.stopAt) stop.abort();
    // Let the executor's promise chains settle before time moves on.
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
    await clock.advance(10);
  }
  return { result: await done, log };
}

const open = (...instances: ScheduledInstance[]): LoadPlan => ({ model: 'recorded', instances, userStarts: [], userStops: [], unscheduled: [] });

describe('executePlan', () => {
  it('starts open-model instances at their planned times, never early', async () => {
    const { result, log } = await run(open(inst('a', { at: 0 }), inst('b', { at: 100 }), inst('c', { at: 250 })));
    expect(log.map((e) => [e.id, e.intended, e.startedAt])).toEqual([
      ['a', 0, 0],
      ['b', 100, 100],
      ['c', 250, 250],
    ]);
    expect(result).toEqual({ notStarted: [], interrupted: false });
  });

  it('under a concurrency cap, a queued instance keeps its intended start (no coordinated omission)', async () => {
    const { log } = await run(open(inst('a', { at: 0 }), inst('b', { at: 100 })), { concurrency: 1 });
    expect(log.map((e) => [e.id, e.intended, e.startedAt])).toEqual([
      ['a', 0, 0],
      ['b', 100, 150],
    ]);
  });

  it('plays shadows right after the instance they shadow', async () => {
    const { log } = await run(open(inst('a', { at: 0 }), inst('a-ctl', { after: 'a' })));
    expect(log.map((e) => [e.id, e.startedAt])).toEqual([
      ['a', 0],
      ['a-ctl', 150],
    ]);
  });

  it('closed model: each virtual user plays instances one after another', async () => {
    const plan: LoadPlan = { model: 'closed', instances: ['a', 'b', 'c'].map((id) => inst(id, { user: true })), userStarts: [0, 50], userStops: [Infinity, Infinity], unscheduled: [] };
    const { log } = await run(plan);
    expect(log.map((e) => [e.id, e.startedAt])).toEqual([
      ['a', 0],
      ['b', 50],
      ['c', 150],
    ]);
  });

  it('closed model ramp-down: a user past its stop time takes no new instance, the one it plays finishes', async () => {
    const plan: LoadPlan = { model: 'closed', instances: ['a', 'b', 'c', 'd'].map((id) => inst(id, { user: true })), userStarts: [0, 0], userStops: [200, 100], unscheduled: [] };
    const { result, log } = await run(plan);
    // At 150 the first user (stop 200) takes c and plays it to 300; the second (stop 100) is done.
    expect(log.map((e) => [e.id, e.startedAt, e.endedAt, e.aborted])).toEqual([
      ['a', 0, 150, false],
      ['b', 0, 150, false],
      ['c', 150, 300, false],
    ]);
    expect(result).toEqual({ notStarted: ['d'], interrupted: false });
  });

  it('a stop starts nothing new but lets in-flight instances finish', async () => {
    const { result, log } = await run(open(inst('a', { at: 0 }), inst('b', { at: 500 })), { stopAt: 100 });
    expect(log.map((e) => [e.id, e.endedAt, e.aborted])).toEqual([['a', 150, false]]);
    expect(result).toEqual({ notStarted: ['b'], interrupted: true });
  });

  it('max duration aborts in-flight instances and starts no more', async () => {
    const { result, log } = await run(open(inst('a', { at: 0 }), inst('b', { at: 500 })), { maxDurationMs: 100 });
    expect(log.map((e) => [e.id, e.endedAt, e.aborted])).toEqual([['a', 100, true]]);
    expect(result).toEqual({ notStarted: ['b'], interrupted: true });
  });
});
