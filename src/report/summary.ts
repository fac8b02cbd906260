import type { Histogram } from 'hdr-histogram-js';
import type { InstanceData, RunData } from '../journal/journal-reader.ts';
import { FindingClass, SessionVariant, type CallEvent, type Finding, type TurnEvent } from '../model/index.ts';
import { newHistogram, recordMs, toStats } from './histogram.ts';
import type { DependencySummary, RunSummary, SegmentSummary, SessionCounts } from './report-schema.ts';
import { warmupMsOf } from './run-config.ts';
import { segmentId, segmentOf } from './segments.ts';
import { summarizeWarmUps } from './warm-up.ts';

/** Status of an instance, `unfinished` when the journal has no session-end for it. */
export type InstanceStatus = 'completed' | 'failed' | 'aborted' | 'unfinished';

export function instanceStatus(data: InstanceData): InstanceStatus {
  return data.end?.status ?? 'unfinished';
}

/** A turn counts as an error when the target failed it or answered outside 1xx–3xx. */
export function isTurnError(turn: TurnEvent): boolean {
  return turn.error !== undefined || turn.status < 100 || turn.status >= 400;
}

export function isCallError(call: CallEvent): boolean {
  return call.error !== undefined || call.response === null || call.response.status >= 400;
}

/** Over-time buckets are powers of two seconds, at most this many per run. */
const MAX_TIME_BUCKETS = 120;

export function overTimeBucketMs(maxT: number): number {
  let width = 1000;
  while (maxT / width > MAX_TIME_BUCKETS) width *= 2;
  return width;
}

export const emptyCounts = (): SessionCounts => ({ total: 0, completed: 0, failed: 0, aborted: 0, unfinished: 0 });
export const zeroByClass = (): Record<FindingClass, number> =>
  Object.fromEntries(FindingClass.options.map((c) => [c, 0])) as Record<FindingClass, number>;

/**
 * Summarizes a run: pure, from the grouped journal only. Only `main` instances count as measured
 * sessions (control and baseline replays would double-count), latency excludes turns planned
 * inside the scenario's warm-up, and every latency figure comes from an HDR histogram that
 * travels with the summary so shard summaries merge exactly (`mergeSummaries`).
 */
export function summarize(run: RunData): RunSummary {
  const warmupMs = warmupMsOf(run);
  const byVariant = Object.fromEntries(SessionVariant.options.map((v) => [v, emptyCounts()])) as Record<SessionVariant, SessionCounts>;
  const turnHist = newHistogram();
  const ttftHist = newHistogram();
  const timeHists = new Map<number, Histogram>();
  const timed: Array<{ at: number; ms: number }> = [];
  const segments = new Map<string, { row: Omit<SegmentSummary, 'turnMs'>; hist: Histogram }>();
  let turns = 0;
  let turnErrors = 0;
  let warmupTurns = 0;

  const findingsByInstance = groupFindings(run.findings);
  for (const [instance, data] of run.instances) {
    const status = instanceStatus(data);
    bump(byVariant[data.start.variant], status);
    if (data.start.variant !== 'main') continue;
    const found = findingsByInstance.get(instance) ?? [];
    const segRows = segmentRowsFor(segments, segmentOf(data));
    for (const seg of segRows) {
      seg.row.sessions++;
      if (status !== 'completed' || found.length > 0) seg.row.failing++;
      if (found.length > 0) seg.row.sessionsWithFindings++;
      for (const f of found) seg.row.findings[f.class]++;
    }
    for (const turn of data.turns) {
      turns++;
      if (isTurnError(turn)) turnErrors++;
      if (turn.intendedAt < warmupMs) {
        warmupTurns++;
        continue;
      }
      recordMs(turnHist, turn.latencyMs);
      if (turn.ttftMs !== undefined) recordMs(ttftHist, turn.ttftMs);
      for (const seg of segRows) recordMs(seg.hist, turn.latencyMs);
      timed.push({ at: turn.intendedAt, ms: turn.latencyMs });
    }
  }

  const bucketMs = overTimeBucketMs(timed.reduce((max, t) => Math.max(max, t.at), 0));
  for (const { at, ms } of timed) {
    const start = Math.floor(Math.max(0, at) / bucketMs) * bucketMs;
    let hist = timeHists.get(start);
    if (!hist) timeHists.set(start, (hist = newHistogram()));
    recordMs(hist, ms);
  }

  const sessions = SessionVariant.options.reduce((acc, v) => addCounts(acc, byVariant[v]), emptyCounts());
  const warmUp = summarizeWarmUps(run.warmUps);
  return {
    sessions: { ...sessions, byVariant },
    turns: { total: turns, errors: turnErrors, errorRate: turns === 0 ? null : turnErrors / turns, warmup: warmupTurns },
    warmupMs,
    ...(warmUp ? { warmUp } : {}),
    findings: findingTotals(run, findingsByInstance),
    latency: { turnMs: toStats(turnHist), ttftMs: toStats(ttftHist) },
    overTime: {
      bucketMs,
      buckets: [...timeHists.entries()].sort(([a], [b]) => a - b).map(([startMs, hist]) => ({ startMs, turnMs: toStats(hist) })),
    },
    segments: [...segments.values()].map(({ row, hist }) => ({ ...row, turnMs: toStats(hist) })).sort(bySegment),
    dependencies: summarizeDependencies([...[...run.instances.values()].flatMap((d) => d.calls), ...run.unattributedCalls]),
    unattributedCalls: run.unattributedCalls.length,
  };
}

export function addCounts(a: SessionCounts, b: SessionCounts): SessionCounts {
  return {
    total: a.total + b.total,
    completed: a.completed + b.completed,
    failed: a.failed + b.failed,
    aborted: a.aborted + b.aborted,
    unfinished: a.unfinished + b.unfinished,
  };
}

export function bySegment(a: { key: string; value: string }, b: { key: string; value: string }): number {
  return a.key === b.key ? a.value.localeCompare(b.value) : a.key.localeCompare(b.key);
}

function bump(counts: SessionCounts, status: InstanceStatus): void {
  counts.total++;
  counts[status]++;
}

function groupFindings(findings: readonly Finding[]): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = map.get(f.sessionInstance);
    if (list) list.push(f);
    else map.set(f.sessionInstance, [f]);
  }
  return map;
}

function segmentRowsFor(
  segments: Map<string, { row: Omit<SegmentSummary, 'turnMs'>; hist: Histogram }>,
  segment: Record<string, string>,
): Array<{ row: Omit<SegmentSummary, 'turnMs'>; hist: Histogram }> {
  return Object.entries(segment).map(([key, value]) => {
    const id = segmentId(key, value);
    let entry = segments.get(id);
    if (!entry) {
      entry = { row: { key, value, sessions: 0, failing: 0, sessionsWithFindings: 0, findings: zeroByClass() }, hist: newHistogram() };
      segments.set(id, entry);
    }
    return entry;
  });
}

function findingTotals(run: RunData, byInstance: Map<string, Finding[]>): RunSummary['findings'] {
  const byClass = zeroByClass();
  const sessionsByClass = zeroByClass();
  const bySeverity: Record<string, number> = {};
  for (const f of run.findings) {
    byClass[f.class]++;
    bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
  }
  let sessionsWithAny = 0;
  for (const [instance, found] of byInstance) {
    if (run.instances.get(instance)?.start.variant !== 'main') continue;
    sessionsWithAny++;
    for (const cls of new Set(found.map((f) => f.class))) sessionsByClass[cls]++;
  }
  return { total: run.findings.length, byClass, sessionsByClass, sessionsWithAny, bySeverity };
}

function summarizeDependencies(calls: readonly CallEvent[]): DependencySummary[] {
  const deps = new Map<string, { row: Omit<DependencySummary, 'durationMs'>; hist: Histogram }>();
  for (const call of calls) {
    let dep = deps.get(call.dependency);
    if (!dep) {
      dep = { row: { name: call.dependency, kind: call.kind, calls: 0, faulted: 0, errors: 0, unmatched: 0 }, hist: newHistogram() };
      deps.set(call.dependency, dep);
    }
    dep.row.calls++;
    if (call.faults.length > 0) dep.row.faulted++;
    if (isCallError(call)) dep.row.errors++;
    if (call.match.mode === 'unmatched') dep.row.unmatched++;
    recordMs(dep.hist, call.durationMs);
  }
  return [...deps.values()].map(({ row, hist }) => ({ ...row, durationMs: toStats(hist) })).sort((a, b) => a.name.localeCompare(b.name));
}
