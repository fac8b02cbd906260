import { describe, expect, it } from 'vitest';
import { groupJournal } from '../../src/journal/journal-reader.ts';
import { mergeShardRuns } from '../../src/report/merge-shards.ts';
import { mergeSummaries } from '../../src/report/merge-summaries.ts';
import { summarize } from '../../src/report/summary.ts';
import { bigJournalSpec, buildJournal, shardSpecs } from './journal-fixture.ts';

/** The summary without its histogram encodings (their bytes may differ; their content must not). */
function figures(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v) => (key === 'hist' ? undefined : v)));
}

describe('merging shards', () => {
  const whole = bigJournalSpec(120);
  const shards = shardSpecs(whole, 3).map((spec, i) => ({ dir: `shard-${i + 1}`, events: buildJournal(spec) }));

  it('merged shard summaries equal the summary of the unsharded run, percentiles exactly', () => {
    const single = summarize(groupJournal(buildJournal(whole)));
    const merged = mergeSummaries(shards.map((s) => summarize(groupJournal(s.events))));
    expect(merged.latency.turnMs.count).toBe(single.latency.turnMs.count);
    expect(merged.latency.turnMs.p99).toBe(single.latency.turnMs.p99);
    expect(figures(merged)).toEqual(figures(single));
  });

  it('merges journals: one run-start, every instance, findings unioned, run-end after all shards', () => {
    const merged = mergeShardRuns(shards);
    expect(merged.shards).toEqual({ count: 3, included: [1, 2, 3] });
    expect(merged.missing).toEqual([]);
    expect(merged.events.filter((e) => e.type === 'run-start')).toHaveLength(1);
    expect(merged.run.start.shard).toBeUndefined();
    expect(merged.run.start.runId).toMatch(/^merged-[0-9a-f]{12}$/);
    expect(merged.run.instances.size).toBe(120);
    expect(merged.run.end).toBeDefined();
    const single = groupJournal(buildJournal(whole));
    expect(merged.run.findings.map((f) => f.id).sort()).toEqual(single.findings.map((f) => f.id).sort());
    expect(figures(summarize(merged.run))).toEqual(figures(summarize(single)));
  });

  it('reports missing shards and refuses mismatched ones', () => {
    expect(mergeShardRuns(shards.slice(0, 2)).missing).toEqual([3]);
    expect(() => mergeShardRuns([shards[0]!, shards[0]!])).toThrow(/both shard 1\/3/);
    const otherSeed = { dir: 'x', events: buildJournal({ ...shardSpecs(whole, 3)[1]!, seed: '7' }) };
    expect(() => mergeShardRuns([shards[0]!, otherSeed])).toThrow(/seed 7/);
    const unsharded = { dir: 'plain', events: buildJournal({ instances: [] }) };
    expect(() => mergeShardRuns([unsharded])).toThrow(/plain is not a shard run/);
    const twoOfTwo = { dir: 'y', events: buildJournal({ ...whole, shard: { index: 2, count: 2 }, instances: [] }) };
    expect(() => mergeShardRuns([shards[0]!, twoOfTwo])).toThrow(/of 3 shards/);
  });
});
