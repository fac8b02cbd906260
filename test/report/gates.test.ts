import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors.ts';
import { groupJournal } from '../../src/journal/journal-reader.ts';
import { evaluateGates, parseGate, validateGates } from '../../src/report/gates.ts';
import { summarize } from '../../src/report/summary.ts';
import { buildJournal } from './journal-fixture.ts';

const summary = summarize(
  groupJournal(
    buildJournal({
      instances: [
        { instance: 'a', latencies: [100, 200, 300, 400], ttft: [10, 20, 30, 40], findings: [{ class: 'context_loss', turn: 2 }] },
        { instance: 'b', latencies: [1000, 2000], errors: [1], status: 'failed', findings: [{ class: 'cascade', turn: 1 }, { class: 'cascade', turn: 0 }] },
        { instance: 'c', latencies: [500] },
        { instance: 'd', latencies: [600] },
      ],
    }),
  ),
);

const value = (expr: string) => evaluateGates([expr], summary)[0];

describe('gates', () => {
  it('parses every documented form', () => {
    expect(parseGate('leakage == 0')).toMatchObject({ metric: { kind: 'count', class: 'leakage' }, op: '==', threshold: 0 });
    expect(parseGate('count(cascade) <= 2').metric).toEqual({ kind: 'count', class: 'cascade' });
    expect(parseGate('rate(context_loss)<0.01').metric).toEqual({ kind: 'rate', class: 'context_loss' });
    expect(parseGate('p95(turn_ms) < 4000').metric).toEqual({ kind: 'latency', stat: { percentile: 95 }, series: 'turn_ms' });
    expect(parseGate('p99.9(ttft_ms) < 800').metric).toEqual({ kind: 'latency', stat: { percentile: 99.9 }, series: 'ttft_ms' });
    expect(parseGate('p95(turn_ms) < 4s').threshold).toBe(4000);
    expect(parseGate('error_rate < 0.05').metric).toEqual({ kind: 'scalar', name: 'error_rate' });
    expect(parseGate('sessions_failed == 0').metric).toEqual({ kind: 'scalar', name: 'sessions_failed' });
  });

  it('evaluates against the summary', () => {
    expect(value('leakage == 0')).toEqual({ expression: 'leakage == 0', value: 0, passed: true });
    expect(value('count(cascade) <= 2')).toMatchObject({ value: 2, passed: true });
    expect(value('count(cascade) < 2')).toMatchObject({ value: 2, passed: false });
    // 1 of 4 sessions had context loss: a session rate, not a finding count.
    expect(value('rate(context_loss) < 0.01')).toMatchObject({ value: 0.25, passed: false });
    expect(value('rate(findings) <= 0.5')).toMatchObject({ value: 0.5, passed: true });
    expect(value('error_rate < 0.05')).toMatchObject({ value: 1 / 8, passed: false });
    expect(value('sessions_failed == 0')).toMatchObject({ value: 1, passed: false });
    expect(value('p50(turn_ms) < 4000')?.value).toBeCloseTo(400, 0);
    expect(value('max(turn_ms) >= 2s')).toMatchObject({ passed: true });
    expect(value('p99(ttft_ms) < 800')).toMatchObject({ passed: true });
  });

  it('fails a gate whose metric has no data, saying why', () => {
    const empty = summarize(groupJournal(buildJournal({ instances: [{ instance: 'a', latencies: [100] }] })));
    const [g] = evaluateGates(['p95(ttft_ms) < 800'], empty);
    expect(g).toMatchObject({ value: null, passed: false });
    expect(g?.reason).toMatch(/time to first token/);
  });

  it.each([
    ['', /empty/],
    ['leakage', /no comparison operator/],
    ['leakage = 0', /use `==`/],
    ['leakge == 0', /unknown metric "leakge"/],
    ['rate(contex_loss) < 0.1', /unknown finding class "contex_loss".*context_loss/],
    ['rate() < 0.1', /needs a finding class/],
    ['p95(turn) < 10', /unknown latency series "turn"/],
    ['p95 < 10', /needs a latency series/],
    ['p95(turn_ms) <', /no threshold/],
    ['p95(turn_ms) < fast', /not a number/],
    ['error_rate < 5ms', /only makes sense on latency/],
    ['median(turn_ms) < 5', /unknown function median/],
  ])('rejects %j', (expr, message) => {
    expect(() => parseGate(expr)).toThrow(message);
    try {
      parseGate(expr);
    } catch (err) {
      expect(err).toBeInstanceOf(HarnessError);
      expect((err as HarnessError).code).toBe('CONFIG');
      expect((err as HarnessError).message).toContain(JSON.stringify(expr));
    }
  });

  it('validates a list up front, naming each bad gate by index', () => {
    const issues = validateGates(['leakage == 0', 'p95(turn) < 1', 'oops']);
    expect(issues.map((i) => i.index)).toEqual([1, 2]);
    expect(issues[0]?.gate).toBe('p95(turn) < 1');
    expect(() => evaluateGates(['oops'], summary)).toThrow(/invalid gates:\n {2}gates\[0\]/);
  });
});
