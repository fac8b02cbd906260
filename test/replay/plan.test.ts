import { describe, expect, it } from 'vitest';
import { ruleCoversInstance } from '../../src/deps/index.ts';
import { expandInstances } from '../../src/replay/instances.ts';
import type { FaultRule } from '../../src/scenario/schema.ts';
import { planLoad, poissonArrivals, thinkTimeMs } from '../../src/replay/plan.ts';
import { planFromSessions, summarizePlan } from '../../src/replay/prepare.ts';
import { parseShard, selectSessions, shardOf } from '../../src/replay/select.ts';
import { scenario, session } from './helpers.ts';

const twoTurns = [
  { text: 'hi', offsetMs: 0, latencyMs: 1000 },
  { text: 'order 42?', offsetMs: 5000, latencyMs: 2000 },
];
const sessions = [
  session('s1', '2026-01-01T10:00:00Z', twoTurns),
  session('s2', '2026-01-01T10:00:10Z', twoTurns, { segment: { language: 'fr' } }),
  session('s3', '2026-01-01T10:00:20Z', [twoTurns[0] as (typeof twoTurns)[number]]),
];
const byId = new Map(sessions.map((s) => [s.id, s]));

describe('instances', () => {
  it('gives clones fresh instance ids and stable seed keys, and adds control and baseline shadows', () => {
    const sc = scenario({ load: { clones: 2 }, faults: [{ kind: 'reset' }], control: { faulted: true, baseline: true } });
    const list = expandInstances(sessions.slice(0, 1), sc, 'rabc');
    expect(list.map((i) => [i.instance, i.seedKey, i.variant, i.shadowOf ?? null, i.faulted])).toEqual([
      ['rabc-s1-c0', 's1~c0', 'main', null, true],
      ['rabc-s1-c1', 's1~c1', 'main', null, true],
      ['rabc-s1-c0-ctl', 's1~c0', 'control', 'rabc-s1-c0', false],
      ['rabc-s1-c0-base', 's1~c0', 'baseline', 'rabc-s1-c0', true],
      ['rabc-s1-c1-ctl', 's1~c1', 'control', 'rabc-s1-c1', false],
    ]);
  });
  it('marks as faulted exactly the instances a `sessions` fraction covers, by the same seeded draw as the dependencies', () => {
    const many = Array.from({ length: 40 }, (_, i) => session(`s${i}`, '2026-01-01T10:00:00Z', twoTurns));
    const sc = scenario({ seed: 5, faults: [{ kind: 'reset', sessions: 0.5 }] });
    const list = expandInstances(many, sc, 'r');
    const faulted = list.filter((i) => i.faulted).length;
    expect(faulted).toBeGreaterThan(8);
    expect(faulted).toBeLessThan(32);
    for (const i of list) expect(i.faulted).toBe(ruleCoversInstance(sc.faults[0] as FaultRule, 0, '5', i.seedKey));
  });
});

describe('selection', () => {
  it('filters by segment and turn count, then samples by seed independently of order', () => {
    expect(selectSessions(sessions, scenario({ select: { segments: { language: ['fr'] } } })).sessions.map((s) => s.id)).toEqual(['s2']);
    expect(selectSessions(sessions, scenario({ select: { minTurns: 2 } })).sessions.map((s) => s.id)).toEqual(['s1', 's2']);
    const a = selectSessions(sessions, scenario({ seed: 9, select: { sessions: 2 } })).sessions.map((s) => s.id);
    const b = selectSessions([...sessions].reverse(), scenario({ seed: 9, select: { sessions: 2 } })).sessions.map((s) => s.id);
    expect(a).toHaveLength(2);
    expect([...b].sort()).toEqual([...a].sort());
  });

  it('splits into shards that cover every session exactly once', () => {
    const many = Array.from({ length: 40 }, (_, i) => session(`s${i}`, '2026-01-01T10:00:00Z', twoTurns));
    const parts = [1, 2, 3].map((index) => selectSessions(many, scenario(), { index, count: 3 }).sessions.map((s) => s.id));
    expect(parts.flat().sort()).toEqual(many.map((s) => s.id).sort());
    expect(parts.every((p) => p.length > 0)).toBe(true);
    expect(shardOf('s7', 3)).toBe(shardOf('s7', 3));
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard('5/4')).toBeUndefined();
  });
});

describe('load plan', () => {
  it('starts sessions at recorded offsets ÷ speed and spreads clones over the recorded span', () => {
    const sc = scenario({ load: { speed: 2, clones: 2 } });
    const plan = planLoad(expandInstances(sessions, sc, 'r'), byId, sc.load, sc.seed);
    const at = Object.fromEntries(plan.instances.map((i) => [i.instance, 'at' in i.start ? i.start.at : null]));
    expect(at).toEqual({ 'r-s1-c0': 0, 'r-s2-c0': 5000, 'r-s3-c0': 10000, 'r-s1-c1': 5000, 'r-s2-c1': 10000, 'r-s3-c1': 15000 });
  });

  it('computes think time from the previous reply, scaled by speed, or as configured', () => {
    const s = sessions[0] as (typeof sessions)[number];
    expect(thinkTimeMs(s, 1, { thinkTime: 'recorded', speed: 2 })).toBe(2000);
    expect(thinkTimeMs(s, 1, { thinkTime: 'none', speed: 2 })).toBe(0);
    expect(thinkTimeMs(s, 1, { thinkTime: 300, speed: 2 })).toBe(300);
    expect(thinkTimeMs(s, 0, { thinkTime: 300, speed: 2 })).toBe(0);
  });

  it('draws seeded Poisson arrivals whose count follows the rate', () => {
    const a = poissonArrivals(2000, 100, undefined, '7') as number[];
    expect(poissonArrivals(2000, 100, undefined, '7')).toEqual(a);
    expect(a.every((t, i) => i === 0 || t >= (a[i - 1] as number))).toBe(true);
    // 2000 arrivals at 100/s take about 20 s (±10 %).
    expect((a.at(-1) as number) / 1000).toBeGreaterThan(18);
    expect((a.at(-1) as number) / 1000).toBeLessThan(22);
  });

  it('follows a ramp: a linear rise from 0 to r over d gives r·d/2 arrivals, then stops at a zero target', () => {
    const stages = [
      { duration: 10_000, target: 40 },
      { duration: 10_000, target: 0 },
    ];
    const a = poissonArrivals(1000, 0, stages, '3');
    const within = a.filter((t) => t !== undefined);
    // Expected 200 + 200 = 400 arrivals over the two stages, none after.
    expect(within.length).toBeGreaterThan(340);
    expect(within.length).toBeLessThan(460);
    const firstHalf = within.filter((t) => t < 5000).length;
    const secondHalf = within.filter((t) => t >= 5000 && t < 10_000).length;
    expect(firstHalf).toBeLessThan(secondHalf);
    expect(Math.max(...within)).toBeLessThanOrEqual(20_000);
  });

  it('closed model: virtual users start along the user ramp', () => {
    const sc = scenario({ load: { model: 'closed', stages: [{ duration: 1000, target: 4 }] } });
    const plan = planLoad(expandInstances(sessions, sc, 'r'), byId, sc.load, sc.seed);
    expect(plan.userStarts).toEqual([250, 500, 750, 1000]);
    expect(plan.userStops).toEqual([Infinity, Infinity, Infinity, Infinity]);
    expect(plan.instances.every((i) => 'user' in i.start)).toBe(true);
  });

  const closedPlan = (load: Record<string, unknown>) => {
    const sc = scenario({ load: { model: 'closed', ...load } });
    return planLoad(expandInstances(sessions, sc, 'r'), byId, sc.load, sc.seed);
  };

  it('closed model: a falling stage stops users, the last to start first; a final 0 stops everyone', () => {
    // 0→4 over 1 s, hold 1 s, 4→0 over 1 s: user k stops when the line falls below k.
    const plan = closedPlan({ stages: [{ duration: 1000, target: 4 }, { duration: 1000, target: 4 }, { duration: 1000, target: 0 }] });
    expect(plan.userStarts).toEqual([250, 500, 750, 1000]);
    expect(plan.userStops).toEqual([2750, 2500, 2250, 2000]);
  });

  it('closed model: users above a lower final target stop, the rest never do; a rise after a fall starts fresh users', () => {
    // 3 users held for 1 s, 3→1 over 1 s, then 1→2 over 1 s and held.
    const plan = closedPlan({ users: 3, stages: [{ duration: 1000, target: 3 }, { duration: 1000, target: 1 }, { duration: 1000, target: 2 }] });
    expect(plan.userStarts).toEqual([0, 0, 0, 3000]);
    expect(plan.userStops).toEqual([Infinity, 1500, 1000, Infinity]);
  });

  it('--dry-run shows the closed-model ramp and the instances a ramp-down leaves out', () => {
    const sc = scenario({ load: { model: 'closed', thinkTime: 'none', clones: 4, stages: [{ duration: 1000, target: 2 }, { duration: 2000, target: 2 }, { duration: 1000, target: 0 }] } });
    const { schedule } = summarizePlan(planFromSessions(sc, sessions, [{ path: 'r.tar', sessions: 3 }], 'r'));
    expect(schedule.users).toBe(2);
    expect(schedule.ramp).toEqual([
      { atMs: 0, users: 0 },
      { atMs: 1000, users: 2 },
      { atMs: 3000, users: 2 },
      { atMs: 4000, users: 0 },
    ]);
    // Users run 500–3500 and 1000–3000 ms and the first sessions take 3 s: each plays one, 10 of 12 never start.
    expect(schedule.estimatedNotStarted).toBe(10);
  });

  it('summarizes the plan as data for --dry-run', () => {
    const sc = scenario({ load: { speed: 1 }, faults: [{ kind: 'latency', ms: '2s', dependency: 'llm' }], control: { faulted: true, baseline: false } });
    const summary = summarizePlan(planFromSessions(sc, sessions, [{ path: 'r.tar', sessions: 3 }], 'r'));
    expect(summary.sessions).toMatchObject({ available: 3, selected: 3, ids: ['s1', 's2', 's3'] });
    expect(summary.instances).toMatchObject({ total: 6, main: 3, control: 3 });
    // s1 runs 0–7 s (1 s reply, 4 s think, 2 s reply), its control 7–14 s, s2 from 10 s: two at once at most;
    // s2's control ends last: 10 + 7 + 7 s.
    expect(summary.schedule).toMatchObject({ model: 'recorded', firstStartMs: 0, lastStartMs: 20_000, peakConcurrency: 2, estimatedDurationMs: 24_000 });
    expect(summary.faults.rules).toEqual([{ rule: 0, kind: 'latency', scope: { ms: 2000, dependency: 'llm', distribution: 'fixed', probability: 1 } }]);
  });
});
