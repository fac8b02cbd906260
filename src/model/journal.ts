import { z } from 'zod';
import { ExchangeError, ExchangeKind, HeaderMap, LlmConversation, StreamChunk } from './exchange.ts';
import { Finding } from './finding.ts';
import { IdentityType } from './session.ts';

/**
 * The run journal: append-only JSONL in `<run-dir>/journal.jsonl`, one event per line, written
 * as the run goes. It is the single source every later step reads — detectors, reporters,
 * `rehearse report`, `merge-reports` of shards, `--resume` and `repro` — so it must hold
 * everything they need and nothing they could not re-derive. `t` is milliseconds since the
 * run started (monotonic clock).
 */
export const JOURNAL_VERSION = 1;

export const RunStartEvent = z.object({
  type: z.literal('run-start'),
  v: z.literal(JOURNAL_VERSION),
  runId: z.string(),
  startedAt: z.iso.datetime({ offset: true }),
  seed: z.string(),
  scenario: z.object({ name: z.string(), path: z.string().optional() }),
  shard: z.object({ index: z.number().int().positive(), count: z.number().int().positive() }).optional(),
  recordings: z.array(z.object({ path: z.string(), sessions: z.number().int().nonnegative() })),
  /** Session instances this run (or shard) plans to play. */
  plannedInstances: z.number().int().nonnegative(),
  /** The resolved scenario (after defaults and CLI overrides), for reports and resume. */
  config: z.unknown(),
});
export type RunStartEvent = z.infer<typeof RunStartEvent>;

/** A canary: an identity this instance was given (re-keyed from the recording's surrogate). */
export const Canary = z.object({ type: IdentityType, value: z.string(), recorded: z.string() });
export type Canary = z.infer<typeof Canary>;

export const SessionVariant = z.enum(['main', 'control', 'baseline']);
export type SessionVariant = z.infer<typeof SessionVariant>;

export const SessionStartEvent = z.object({
  type: z.literal('session-start'),
  t: z.number(),
  /** Session instance id: the session id sent to the target. Unique within the run. */
  instance: z.string(),
  recordedSession: z.string(),
  /** Which clone of the recorded session (0 for the first). */
  clone: z.number().int().nonnegative(),
  /** `control`: the same instance replayed without faults; `baseline`: a noise-measuring repeat. */
  variant: SessionVariant,
  /** For control / baseline variants, the main instance it shadows. */
  shadowOf: z.string().optional(),
  segment: z.record(z.string(), z.string()),
  canaries: z.array(Canary),
  /** True when at least one fault rule may apply to this instance. */
  faulted: z.boolean(),
});
export type SessionStartEvent = z.infer<typeof SessionStartEvent>;

export const TurnEvent = z.object({
  type: z.literal('turn'),
  t: z.number(),
  instance: z.string(),
  turn: z.number().int().nonnegative(),
  /** Planned send time and actual send time, `t`-relative. Latency counts from the plan. */
  intendedAt: z.number(),
  sentAt: z.number(),
  latencyMs: z.number().nonnegative(),
  ttftMs: z.number().nonnegative().optional(),
  /** Gaps between streamed chunks of the reply. */
  gapsMs: z.array(z.number().nonnegative()).optional(),
  status: z.number().int(),
  input: z.string(),
  reply: z.object({ text: z.string(), structured: z.unknown().optional() }),
  error: z.string().optional(),
});
export type TurnEvent = z.infer<typeof TurnEvent>;

export const AppliedFault = z.object({
  /** Fault kind name, e.g. `latency`, `http-error`, `reset`. */
  kind: z.string(),
  /** Index of the scenario fault rule that produced it. */
  rule: z.number().int().nonnegative(),
  detail: z.record(z.string(), z.unknown()),
});
export type AppliedFault = z.infer<typeof AppliedFault>;

/**
 * How the virtual dependency decided which session and turn a call belongs to: `headers`
 * (`x-rehearsal-session` / `-turn`), `baggage` (`rehearsal.session=…,rehearsal.turn=…`),
 * `traceparent` (trace id derived from the instance, see `wire/trace-context.ts`), `canary`
 * (the body holds identities of exactly one instance), `time` (the one turn in flight), `none`.
 */
export const Attribution = z.enum(['headers', 'baggage', 'traceparent', 'canary', 'time', 'none']);
export type Attribution = z.infer<typeof Attribution>;

export const CallMatch = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('replay'),
    /** The recorded exchange that answered: turn and index in that turn's exchanges. */
    exchange: z.object({ turn: z.number().int(), index: z.number().int() }),
    reason: z.string(),
  }),
  z.object({ mode: z.literal('proxy'), upstream: z.string() }),
  z.object({
    mode: z.literal('unmatched'),
    policy: z.enum(['error', 'warn', 'passthrough']),
    nearest: z
      .object({ turn: z.number().int(), index: z.number().int(), why: z.string() })
      .optional(),
  }),
]);
export type CallMatch = z.infer<typeof CallMatch>;

/** One call the staging app made to a virtual dependency, as observed. */
export const CallEvent = z.object({
  type: z.literal('call'),
  t: z.number(),
  /** Null when the call could not be attributed to any session instance. */
  instance: z.string().nullable(),
  turn: z.number().int().nullable(),
  dependency: z.string(),
  kind: ExchangeKind,
  name: z.string(),
  /** n-th call to this dependency within the turn (0-based). */
  callIndex: z.number().int().nonnegative(),
  attribution: Attribution,
  request: z.object({ method: z.string(), url: z.string(), headers: HeaderMap, body: z.unknown().optional() }),
  response: z
    .object({
      status: z.number().int(),
      body: z.unknown().optional(),
      chunks: z.array(StreamChunk).optional(),
    })
    .nullable(),
  error: ExchangeError.optional(),
  durationMs: z.number().nonnegative(),
  /** The request's parsed conversation, for `llm` calls in a known wire format. */
  llm: LlmConversation.optional(),
  match: CallMatch,
  faults: z.array(AppliedFault),
});
export type CallEvent = z.infer<typeof CallEvent>;

export const SessionEndEvent = z.object({
  type: z.literal('session-end'),
  t: z.number(),
  instance: z.string(),
  status: z.enum(['completed', 'failed', 'aborted']),
  error: z.string().optional(),
});
export type SessionEndEvent = z.infer<typeof SessionEndEvent>;

export const FindingEvent = z.object({ type: z.literal('finding'), finding: Finding });
export type FindingEvent = z.infer<typeof FindingEvent>;

export const RunEndEvent = z.object({
  type: z.literal('run-end'),
  t: z.number(),
  endedAt: z.iso.datetime({ offset: true }),
  /** True when SIGINT (or max duration) stopped the run before every planned session ran. */
  interrupted: z.boolean(),
});
export type RunEndEvent = z.infer<typeof RunEndEvent>;

/**
 * The warm-up before the run's t = 0 (`load.warmup` or `load.warmupRequest`): the target adapter
 * sent side-effect-free `GET`s so its connection pool holds open keep-alive connections before
 * the first turn. One per process that ran (a resumed run and each shard warm up again).
 */
export const WarmUpEvent = z.object({
  type: z.literal('warm-up'),
  /** When the warm-up started, relative to the run's t = 0 which follows it (so ≤ 0). */
  t: z.number(),
  durationMs: z.number().nonnegative(),
  /** The path sent with `GET` on the target's origin; absent when skipped. */
  path: z.string().optional(),
  /** Connections asked for (the pool's bound, see docs/scenarios.md) and open when it ended. */
  connections: z.object({ wanted: z.number().int().nonnegative(), open: z.number().int().nonnegative() }),
  requests: z.object({ ok: z.number().int().nonnegative(), failed: z.number().int().nonnegative() }),
  /** Distinct failures in words, a few at most. */
  errors: z.array(z.string()),
  /** Why no connection was pre-opened (no side-effect-free request known, or the target keeps no pool). */
  skipped: z.string().optional(),
});
export type WarmUpEvent = z.infer<typeof WarmUpEvent>;

export const JournalEvent = z.discriminatedUnion('type', [
  RunStartEvent,
  WarmUpEvent,
  SessionStartEvent,
  TurnEvent,
  CallEvent,
  SessionEndEvent,
  FindingEvent,
  RunEndEvent,
]);
export type JournalEvent = z.infer<typeof JournalEvent>;
