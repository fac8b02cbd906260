import { z } from 'zod';
import { Finding, FindingClass, SessionVariant } from '../model/index.ts';

/**
 * The published shape of `report.json` and of the run summary every reporter reads.
 * `docs/schema/report.schema.json` is generated from `ReportJson` with `reportJsonSchema()`.
 * All durations are milliseconds.
 */

const ms = z.number().nonnegative().nullable();

/** Latency figures plus the lossless histogram they came from (HDR, compressed base64, µs). */
export const LatencyStats = z.object({
  count: z.number().int().nonnegative(),
  mean: ms,
  max: ms,
  p50: ms,
  p90: ms,
  p95: ms,
  p99: ms,
  p999: ms,
  /** HDR histogram of the values in microseconds, `encodeIntoCompressedBase64`; empty when count is 0. */
  hist: z.string(),
});
export type LatencyStats = z.infer<typeof LatencyStats>;

export const SessionCounts = z.object({
  total: z.number().int().nonnegative(),
  completed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  aborted: z.number().int().nonnegative(),
  /** Started but never ended (the run was killed or interrupted). */
  unfinished: z.number().int().nonnegative(),
});
export type SessionCounts = z.infer<typeof SessionCounts>;

const classCounts = z.record(FindingClass, z.number().int().nonnegative());

/** One segment value (`language=de`, `turns=4-7`): its sessions, findings and latency. */
export const SegmentSummary = z.object({
  key: z.string(),
  value: z.string(),
  /** Main-variant sessions in this segment. */
  sessions: z.number().int().nonnegative(),
  /** Sessions that did not complete or have at least one finding: the segment's failure count. */
  failing: z.number().int().nonnegative(),
  sessionsWithFindings: z.number().int().nonnegative(),
  findings: classCounts,
  turnMs: LatencyStats,
});
export type SegmentSummary = z.infer<typeof SegmentSummary>;

export const DependencySummary = z.object({
  name: z.string(),
  kind: z.string(),
  calls: z.number().int().nonnegative(),
  /** Calls on which at least one fault was injected. */
  faulted: z.number().int().nonnegative(),
  /** Calls that ended in an error, no response, or a status ≥ 400. */
  errors: z.number().int().nonnegative(),
  unmatched: z.number().int().nonnegative(),
  durationMs: LatencyStats,
});
export type DependencySummary = z.infer<typeof DependencySummary>;

/** Turn latency over run time, in fixed buckets (`bucketMs` is a power of two seconds, so shards re-bucket exactly). */
export const LatencyOverTime = z.object({
  bucketMs: z.number().positive(),
  buckets: z.array(z.object({ startMs: z.number().nonnegative(), turnMs: LatencyStats })),
});
export type LatencyOverTime = z.infer<typeof LatencyOverTime>;

/** The warm-ups before t = 0 (`load.warmup`), added up over the processes that ran (shards, resumed parts). */
export const WarmUpSummary = z.object({
  /** Warm-ups added up here: one per process. */
  warmUps: z.number().int().positive(),
  /** Connections asked for and open before t = 0. */
  connections: z.object({ wanted: z.number().int().nonnegative(), open: z.number().int().nonnegative() }),
  requests: z.object({ ok: z.number().int().nonnegative(), failed: z.number().int().nonnegative() }),
  /** Paths sent with `GET`. */
  paths: z.array(z.string()),
  /** Distinct failures in words, a few at most. */
  errors: z.array(z.string()),
  /** Why warm-ups pre-opened nothing, one entry per skipped warm-up. */
  skipped: z.array(z.string()),
  /** The longest warm-up. */
  durationMs: z.number().nonnegative(),
});
export type WarmUpSummary = z.infer<typeof WarmUpSummary>;

export const RunSummary = z.object({
  sessions: SessionCounts.extend({ byVariant: z.record(SessionVariant, SessionCounts) }),
  turns: z.object({
    /** Turns of main-variant sessions. */
    total: z.number().int().nonnegative(),
    errors: z.number().int().nonnegative(),
    errorRate: z.number().min(0).max(1).nullable(),
    /** Turns whose intended send time fell in the warm-up (excluded from latency figures). */
    warmup: z.number().int().nonnegative(),
  }),
  warmupMs: z.number().nonnegative(),
  /** Connections pre-opened before t = 0; absent when the run did not warm up. */
  warmUp: WarmUpSummary.optional(),
  findings: z.object({
    total: z.number().int().nonnegative(),
    byClass: classCounts,
    /** Distinct main-variant session instances with at least one finding of the class. */
    sessionsByClass: classCounts,
    sessionsWithAny: z.number().int().nonnegative(),
    bySeverity: z.record(z.string(), z.number().int().nonnegative()),
  }),
  latency: z.object({ turnMs: LatencyStats, ttftMs: LatencyStats }),
  overTime: LatencyOverTime,
  segments: z.array(SegmentSummary),
  dependencies: z.array(DependencySummary),
  unattributedCalls: z.number().int().nonnegative(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const GateResult = z.object({
  /** The gate as written: `rate(context_loss) < 0.01`. */
  expression: z.string(),
  /** The measured value; null when the metric had no data. */
  value: z.number().nullable(),
  passed: z.boolean(),
  /** Why it failed when the value is missing ("no turn latencies recorded"). */
  reason: z.string().optional(),
});
export type GateResult = z.infer<typeof GateResult>;

const FindingRef = z.object({ id: z.string(), class: FindingClass, title: z.string(), recordedSession: z.string(), turn: z.number().int().nullable() });

/** What changed against a baseline run. */
export const Comparison = z.object({
  baselineRunId: z.string(),
  newFindings: z.array(FindingRef),
  fixedFindings: z.array(FindingRef),
  turnMs: z.object({ p50: z.object({ before: ms, after: ms }), p95: z.object({ before: ms, after: ms }), p99: z.object({ before: ms, after: ms }) }),
  errorRate: z.object({ before: z.number().nullable(), after: z.number().nullable() }),
  segments: z.array(
    z.object({
      key: z.string(),
      value: z.string(),
      p95: z.object({ before: ms, after: ms }),
      failureRate: z.object({ before: z.number().nullable(), after: z.number().nullable() }),
    }),
  ),
});
export type Comparison = z.infer<typeof Comparison>;

export const SessionRow = z.object({
  instance: z.string(),
  recordedSession: z.string(),
  variant: SessionVariant,
  segment: z.record(z.string(), z.string()),
  status: z.enum(['completed', 'failed', 'aborted', 'unfinished']),
  turns: z.number().int().nonnegative(),
  findings: z.array(z.string()),
  repro: z.string(),
});
export type SessionRow = z.infer<typeof SessionRow>;

export const REPORT_VERSION = 1;

/** `report.json`. */
export const ReportJson = z.object({
  version: z.literal(REPORT_VERSION),
  run: z.object({
    id: z.string(),
    scenario: z.string(),
    seed: z.string(),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    interrupted: z.boolean(),
    /** Shards this report covers (merged reports); absent for a single unsharded run. */
    shards: z.object({ count: z.number().int().positive(), included: z.array(z.number().int().positive()) }).optional(),
  }),
  passed: z.boolean(),
  gates: z.array(GateResult),
  summary: RunSummary,
  findings: z.array(Finding),
  sessions: z.array(SessionRow),
  comparison: Comparison.optional(),
});
export type ReportJson = z.infer<typeof ReportJson>;

/** JSON Schema of `report.json` (draft 2020-12). */
export function reportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ReportJson, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
}
