import { z } from 'zod';

export const FindingClass = z.enum([
  'context_loss',
  'leakage',
  'cascade',
  'schema_drift',
  'latency_collapse',
  'assertion',
  'unmatched_call',
]);
export type FindingClass = z.infer<typeof FindingClass>;

export const Severity = z.enum(['critical', 'high', 'medium', 'low']);
export type Severity = z.infer<typeof Severity>;

/** One thing a detector noticed, with enough evidence to believe it and a command to see it again. */
export const Finding = z.object({
  /** Stable across re-renders of the same run: a hash of class, instance, turn and the detector's key. */
  id: z.string(),
  class: FindingClass,
  severity: Severity,
  /** One line a human reads first: "turn 5 LLM request lacks the order id given at turn 1". */
  title: z.string(),
  runId: z.string(),
  recordedSession: z.string(),
  /** The session id sent to the target for this instance. */
  sessionInstance: z.string(),
  /** Turn index, or null when the finding is about the whole session. */
  turn: z.number().int().nonnegative().nullable(),
  segment: z.record(z.string(), z.string()),
  /** `summary` in words, plus detector-specific details (missing facts, both instances, call counts…). */
  evidence: z.object({ summary: z.string() }).catchall(z.unknown()),
  /** The exact command that replays this session instance with the same seed and faults. */
  repro: z.string(),
});
export type Finding = z.infer<typeof Finding>;
