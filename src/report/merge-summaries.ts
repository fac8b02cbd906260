import { FindingClass, SessionVariant } from '../model/index.ts';
import { mergeEncoded, mergeStats, toStats } from './histogram.ts';
import type { DependencySummary, LatencyOverTime, RunSummary, SegmentSummary } from './report-schema.ts';
import { segmentId } from './segments.ts';
import { addCounts, bySegment, emptyCounts, zeroByClass } from './summary.ts';
import { mergeWarmUps } from './warm-up.ts';

/**
 * Merges the summaries of shards of one run into the summary of the whole run. Counts add;
 * latency figures are recomputed from the added HDR histograms, so `p99` of the merge is the
 * `p99` of all turns — exactly what one unsharded process would have reported. Shards must
 * partition the session instances (what `--shard i/n` does); a summary given twice counts twice.
 */
export function mergeSummaries(parts: readonly RunSummary[]): RunSummary {
  const byVariant = Object.fromEntries(
    SessionVariant.options.map((v) => [v, parts.reduce((acc, p) => addCounts(acc, p.sessions.byVariant[v]), emptyCounts())]),
  ) as RunSummary['sessions']['byVariant'];
  const sessions = parts.reduce((acc, p) => addCounts(acc, p.sessions), emptyCounts());
  const total = sum(parts, (p) => p.turns.total);
  const errors = sum(parts, (p) => p.turns.errors);
  const bySeverity: Record<string, number> = {};
  for (const p of parts) for (const [sev, n] of Object.entries(p.findings.bySeverity)) bySeverity[sev] = (bySeverity[sev] ?? 0) + n;
  const warmUp = mergeWarmUps(parts.map((p) => p.warmUp));
  return {
    sessions: { ...sessions, byVariant },
    turns: { total, errors, errorRate: total === 0 ? null : errors / total, warmup: sum(parts, (p) => p.turns.warmup) },
    warmupMs: Math.max(0, ...parts.map((p) => p.warmupMs)),
    ...(warmUp ? { warmUp } : {}),
    findings: {
      total: sum(parts, (p) => p.findings.total),
      byClass: sumByClass(parts.map((p) => p.findings.byClass)),
      sessionsByClass: sumByClass(parts.map((p) => p.findings.sessionsByClass)),
      sessionsWithAny: sum(parts, (p) => p.findings.sessionsWithAny),
      bySeverity,
    },
    latency: {
      turnMs: mergeStats(parts.map((p) => p.latency.turnMs)),
      ttftMs: mergeStats(parts.map((p) => p.latency.ttftMs)),
    },
    overTime: mergeOverTime(parts.map((p) => p.overTime)),
    segments: mergeSegments(parts.flatMap((p) => p.segments)),
    dependencies: mergeDependencies(parts.flatMap((p) => p.dependencies)),
    unattributedCalls: sum(parts, (p) => p.unattributedCalls),
  };
}

function sum<T>(items: readonly T[], f: (item: T) => number): number {
  return items.reduce((acc, item) => acc + f(item), 0);
}

function sumByClass(parts: ReadonlyArray<Record<FindingClass, number>>): Record<FindingClass, number> {
  const out = zeroByClass();
  for (const p of parts) for (const c of FindingClass.options) out[c] += p[c];
  return out;
}

/** Bucket widths are powers of two seconds, so re-bucketing into the widest one is exact. */
function mergeOverTime(parts: readonly LatencyOverTime[]): LatencyOverTime {
  const bucketMs = Math.max(1000, ...parts.map((p) => p.bucketMs));
  const byStart = new Map<number, string[]>();
  for (const p of parts) {
    for (const b of p.buckets) {
      const start = Math.floor(b.startMs / bucketMs) * bucketMs;
      byStart.set(start, [...(byStart.get(start) ?? []), b.turnMs.hist]);
    }
  }
  return {
    bucketMs,
    buckets: [...byStart.entries()].sort(([a], [b]) => a - b).map(([startMs, hists]) => ({ startMs, turnMs: toStats(mergeEncoded(hists)) })),
  };
}

function mergeSegments(rows: readonly SegmentSummary[]): SegmentSummary[] {
  const groups = groupBy(rows, (r) => segmentId(r.key, r.value));
  return [...groups.values()]
    .map((group) => {
      const first = group[0] as SegmentSummary;
      return {
        key: first.key,
        value: first.value,
        sessions: sum(group, (r) => r.sessions),
        failing: sum(group, (r) => r.failing),
        sessionsWithFindings: sum(group, (r) => r.sessionsWithFindings),
        findings: sumByClass(group.map((r) => r.findings)),
        turnMs: mergeStats(group.map((r) => r.turnMs)),
      };
    })
    .sort(bySegment);
}

function mergeDependencies(rows: readonly DependencySummary[]): DependencySummary[] {
  const groups = groupBy(rows, (r) => r.name);
  return [...groups.values()]
    .map((group) => {
      const first = group[0] as DependencySummary;
      return {
        name: first.name,
        kind: first.kind,
        calls: sum(group, (r) => r.calls),
        faulted: sum(group, (r) => r.faulted),
        errors: sum(group, (r) => r.errors),
        unmatched: sum(group, (r) => r.unmatched),
        durationMs: mergeStats(group.map((r) => r.durationMs)),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
