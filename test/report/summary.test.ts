import { describe, expect, it } from 'vitest';
import { groupJournal } from '../../src/journal/journal-reader.ts';
import { decodeHistogram, distribution, percentileMs } from '../../src/report/histogram.ts';
import { RunSummary } from '../../src/report/report-schema.ts';
import { summarize } from '../../src/report/summary.ts';
import { buildJournal } from './journal-fixture.ts';

const run = () =>
  groupJournal(
    buildJournal({
      warmupMs: 500,
      unattributed: 2,
      instances: [
        { instance: 'a', segment: { language: 'en' }, latencies: [100, 200, 300], ttft: [10, 20, 30], findings: [{ class: 'context_loss', turn: 2 }] },
        { instance: 'b', segment: { language: 'de' }, latencies: [400, 500], errors: [1], status: 'failed', faultedCallTurns: [1] },
        { instance: 'c', segment: { language: 'de' }, latencies: [600], status: null, findings: [{ class: 'leakage', turn: 0 }, { class: 'leakage', turn: null }] },
        { instance: 'a-control', variant: 'control', latencies: [9000] },
      ],
    }),
  );

describe('summarize', () => {
  it('counts sessions by status and variant, measuring main instances only', () => {
    const s = summarize(run());
    expect(RunSummary.parse(s)).toBeTruthy();
    expect(s.sessions).toMatchObject({ total: 4, completed: 2, failed: 1, unfinished: 1 });
    expect(s.sessions.byVariant.main).toEqual({ total: 3, completed: 1, failed: 1, aborted: 0, unfinished: 1 });
    expect(s.sessions.byVariant.control.total).toBe(1);
    expect(s.turns).toEqual({ total: 6, errors: 1, errorRate: 1 / 6, warmup: 3 });
  });

  it('excludes warm-up turns from latency and takes percentiles from the histogram', () => {
    const s = summarize(run());
    // Turns planned at t=0 (a/0, b/0, c/0) are inside the 500 ms warm-up; 9000 is a control.
    expect(s.latency.turnMs.count).toBe(3);
    expect(s.latency.turnMs.p50).toBeCloseTo(300, 0);
    expect(s.latency.turnMs.max).toBeCloseTo(500, 0);
    expect(s.latency.ttftMs.count).toBe(2);
    expect(percentileMs(decodeHistogram(s.latency.turnMs.hist), 100)).toBeCloseTo(500, 0);
  });

  it('breaks findings down by class, sessions and segment (including the turn-count bucket)', () => {
    const s = summarize(run());
    expect(s.findings.byClass.leakage).toBe(2);
    expect(s.findings.sessionsByClass.leakage).toBe(1);
    expect(s.findings.sessionsWithAny).toBe(2);
    const de = s.segments.find((g) => g.key === 'language' && g.value === 'de');
    expect(de).toMatchObject({ sessions: 2, failing: 2, sessionsWithFindings: 1 });
    expect(de?.findings.leakage).toBe(2);
    const turns = s.segments.filter((g) => g.key === 'turns').map((g) => `${g.value}:${g.sessions}`);
    expect(turns).toEqual(['1:1', '2-3:2']);
  });

  it('counts per-dependency calls, faults, errors and unattributed calls', () => {
    const s = summarize(run());
    expect(s.dependencies).toHaveLength(1);
    expect(s.dependencies[0]).toMatchObject({ name: 'llm', calls: 9, faulted: 1, errors: 1, unmatched: 0 });
    expect(s.unattributedCalls).toBe(2);
  });

  it('buckets turn latency over time and draws an exact distribution', () => {
    const s = summarize(run());
    expect(s.overTime.bucketMs).toBe(1000);
    expect(s.overTime.buckets.map((b) => [b.startMs, b.turnMs.count])).toEqual([[1000, 2], [2000, 1]]);
    const bins = distribution(s.latency.turnMs, 10);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(3);
  });
});
