import { describe, expect, it } from 'vitest';
import { decideFaults, describeFaultPlan, formatFaultPlan, type FaultCoords } from '../../src/deps/index.ts';
import { FaultRule } from '../../src/scenario/schema.ts';
import { rngFor } from '../../src/util/rng.ts';
import { fixtureSession } from './fixture.ts';

const rules = [
  { kind: 'latency', distribution: 'lognormal', p50: '200ms', p99: '2s', probability: 0.7 },
  { kind: 'http-error', dependency: 'llm', status: 503, sessions: 0.5, probability: 0.3 },
  { kind: 'reset', dependency: 'tools', turns: [1, 3], calls: [0] },
  { kind: 'latency', distribution: 'uniform', min: 10, max: 20, name: 'lookup_order' },
].map((r) => FaultRule.parse(r));

function allCoords(): FaultCoords[] {
  const out: FaultCoords[] = [];
  for (let s = 0; s < 20; s++)
    for (let turn = 0; turn < 4; turn++)
      for (const [dependency, name] of [['llm', 'gpt'], ['tools', 'lookup_order'], ['search', 'help']] as const)
        for (let callIndex = 0; callIndex < 3; callIndex++) out.push({ seed: 'seed-7', seedKey: `s${s}~c0`, dependency, name, turn, callIndex });
  return out;
}

const keyOf = (c: FaultCoords): string => `${c.seedKey}/${c.turn}/${c.dependency}/${c.callIndex}`;

describe('decideFaults', () => {
  it('gives the same outcome for every call whatever order the calls are decided in', () => {
    const coords = allCoords();
    const reference = new Map(coords.map((c) => [keyOf(c), decideFaults(rules, c)]));
    for (let round = 0; round < 5; round++) {
      const rng = rngFor('shuffle', round);
      const shuffled = [...coords];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [shuffled[i], shuffled[j]] = [shuffled[j] as FaultCoords, shuffled[i] as FaultCoords];
      }
      for (const c of shuffled) expect(decideFaults(rules, c)).toEqual(reference.get(keyOf(c)));
    }
    // Not vacuous: the schedule has both faulted and clean calls.
    const counts = [...reference.values()].map((f) => f.length);
    expect(counts.some((n) => n === 0)).toBe(true);
    expect(counts.some((n) => n >= 2)).toBe(true);
  });

  it('a different seed gives a different schedule', () => {
    const a = allCoords().map((c) => decideFaults(rules, c));
    const b = allCoords().map((c) => decideFaults(rules, { ...c, seed: 'seed-8' }));
    expect(a).not.toEqual(b);
  });

  it('applies a `sessions` fraction per instance: all calls of an instance in or out together', () => {
    const only = [FaultRule.parse({ kind: 'reset', sessions: 0.5 })];
    const perInstance = new Map<string, Set<boolean>>();
    for (const c of allCoords()) {
      const set = perInstance.get(c.seedKey) ?? new Set<boolean>();
      set.add(decideFaults(only, c).length > 0);
      perInstance.set(c.seedKey, set);
    }
    for (const set of perInstance.values()) expect(set.size).toBe(1);
    const covered = [...perInstance.values()].filter((s) => s.has(true)).length;
    expect(covered).toBeGreaterThan(3);
    expect(covered).toBeLessThan(17);
  });

  it('honours dependency, name, turns and calls scopes', () => {
    const base = { seed: 'x', seedKey: 'k', dependency: 'tools', name: 'lookup_order', turn: 1, callIndex: 0 };
    expect(decideFaults([rules[2] as FaultRule], base)).toHaveLength(1);
    expect(decideFaults([rules[2] as FaultRule], { ...base, turn: 2 })).toHaveLength(0);
    expect(decideFaults([rules[2] as FaultRule], { ...base, callIndex: 1 })).toHaveLength(0);
    expect(decideFaults([rules[2] as FaultRule], { ...base, dependency: 'llm' })).toHaveLength(0);
    expect(decideFaults([rules[3] as FaultRule], { ...base, name: 'other' })).toHaveLength(0);
  });

  it('draws latencies within the distribution: uniform in [min, max], lognormal around p50', () => {
    const uniform = allCoords().flatMap((c) => decideFaults([rules[3] as FaultRule], c)).map((f) => f.detail.ms as number);
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...uniform)).toBeLessThanOrEqual(20);
    const logn = allCoords().flatMap((c) => decideFaults([FaultRule.parse({ kind: 'latency', distribution: 'lognormal', p50: 200, p99: 2000 })], c)).map((f) => f.detail.ms as number);
    logn.sort((a, b) => a - b);
    const median = logn[Math.floor(logn.length / 2)] as number;
    expect(median).toBeGreaterThan(120);
    expect(median).toBeLessThan(330);
  });
});

describe('describeFaultPlan', () => {
  it("lists each recorded call's faults exactly as the server decides them", () => {
    const session = fixtureSession();
    const plan = describeFaultPlan(rules, { seed: 'seed-7', seedKey: 's1~c0', session });
    for (const entry of plan) {
      expect(entry.faults).toEqual(decideFaults(rules, { seed: 'seed-7', seedKey: 's1~c0', dependency: entry.dependency, name: entry.name, turn: entry.turn, callIndex: entry.callIndex }));
    }
    const lines = formatFaultPlan(describeFaultPlan([FaultRule.parse({ kind: 'http-error', dependency: 'llm', status: 429, retryAfter: 1 })], { seed: 's', seedKey: 'k', session }));
    expect(lines).toEqual([
      'turn 0 llm call 0 (gpt-test): http-error 429 retry-after 1s (rule 0)',
      'turn 0 llm call 1 (gpt-test): http-error 429 retry-after 1s (rule 0)',
      'turn 1 llm call 0 (gpt-test): http-error 429 retry-after 1s (rule 0)',
      'turn 1 llm call 1 (gpt-test): http-error 429 retry-after 1s (rule 0)',
    ]);
    expect(describeFaultPlan(rules, { seed: 'seed-7', seedKey: 's1~c0', session, faultsEnabled: false })).toEqual([]);
  });
});
