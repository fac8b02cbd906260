import type { Finding } from '../model/index.ts';
import type { Comparison, RunSummary, SegmentSummary } from './report-schema.ts';
import { segmentId } from './segments.ts';

/** A run as the comparison sees it. */
export interface ComparedRun {
  runId: string;
  summary: RunSummary;
  findings: readonly Finding[];
}

/**
 * Compares a run with a baseline run. A finding is "the same" when its id matches or, since
 * ids embed the instance and instances may be renamed between runs, when class, recorded
 * session and turn match: a finding present now but not in the baseline is new; one present
 * in the baseline but not now is fixed.
 */
export function compareRuns(current: ComparedRun, baseline: ComparedRun): Comparison {
  const inBaseline = indexFindings(baseline.findings);
  const inCurrent = indexFindings(current.findings);
  const isKnown = (f: Finding, index: FindingIndex) => index.ids.has(f.id) || index.keys.has(findingKey(f));
  const before = new Map(baseline.summary.segments.map((s) => [segmentId(s.key, s.value), s]));
  const after = new Map(current.summary.segments.map((s) => [segmentId(s.key, s.value), s]));
  const names = new Map([...baseline.summary.segments, ...current.summary.segments].map((s) => [segmentId(s.key, s.value), s]));
  const segmentIds = [...names.keys()].sort();
  const b = baseline.summary.latency.turnMs;
  const a = current.summary.latency.turnMs;
  return {
    baselineRunId: baseline.runId,
    newFindings: current.findings.filter((f) => !isKnown(f, inBaseline)).map(ref),
    fixedFindings: baseline.findings.filter((f) => !isKnown(f, inCurrent)).map(ref),
    turnMs: { p50: { before: b.p50, after: a.p50 }, p95: { before: b.p95, after: a.p95 }, p99: { before: b.p99, after: a.p99 } },
    errorRate: { before: baseline.summary.turns.errorRate, after: current.summary.turns.errorRate },
    segments: segmentIds.map((id) => {
      const was = before.get(id);
      const now = after.get(id);
      const { key, value } = names.get(id) as SegmentSummary;
      return {
        key,
        value,
        p95: { before: was?.turnMs.p95 ?? null, after: now?.turnMs.p95 ?? null },
        failureRate: { before: failureRate(was), after: failureRate(now) },
      };
    }),
  };
}

interface FindingIndex {
  ids: Set<string>;
  keys: Set<string>;
}

function indexFindings(findings: readonly Finding[]): FindingIndex {
  return { ids: new Set(findings.map((f) => f.id)), keys: new Set(findings.map(findingKey)) };
}

function findingKey(f: Finding): string {
  return `${f.class}\u001f${f.recordedSession}\u001f${f.turn ?? '-'}`;
}

function ref(f: Finding): Comparison['newFindings'][number] {
  return { id: f.id, class: f.class, title: f.title, recordedSession: f.recordedSession, turn: f.turn };
}

function failureRate(segment: SegmentSummary | undefined): number | null {
  return segment === undefined || segment.sessions === 0 ? null : segment.failing / segment.sessions;
}

