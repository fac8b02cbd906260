import { z } from 'zod';
import { ExchangeKind } from '../model/index.ts';
import { Duration } from '../util/duration.ts';
import { StartCommand, Target } from './target-schema.ts';

export { Target } from './target-schema.ts';

/**
 * The scenario file (`scenarios/*.yaml`): what to replay, against what, how hard, with which
 * faults, what to look for and what makes the run fail. Parsed with zod; `docs/schema/
 * scenario.schema.json` is generated from this. Relative paths resolve against the scenario file.
 * Templates `{{...}}` in target fields: `{{input}}` (the turn's user text), `{{session}}` (the
 * session instance id), `{{turn}}`, `{{port}}` (a free port rehearsal picked for `start`),
 * `{{deps.<name>}}` (base URL of a virtual dependency). In a dependency's `start` and
 * `upstream`, `{{port}}` is the port picked for that dependency's own `start`.
 */

const Selection = z
  .object({
    /** Sample size (seeded); all selected sessions when absent. */
    sessions: z.number().int().positive().optional(),
    /** Only these recorded session ids. */
    ids: z.array(z.string()).optional(),
    /** Segment filters: every key must match one of the listed values. */
    segments: z.record(z.string(), z.array(z.string())).optional(),
    minTurns: z.number().int().nonnegative().optional(),
    maxTurns: z.number().int().positive().optional(),
  })
  .strict();

export const UnmatchedPolicy = z.enum(['error', 'warn', 'passthrough']);
export type UnmatchedPolicy = z.infer<typeof UnmatchedPolicy>;

export const DependencyConfig = z
  .object({
    kind: ExchangeKind.optional(),
    mode: z.enum(['replay', 'proxy']).default('replay'),
    /**
     * Real staging dependency, for `proxy` mode and `passthrough` misses. With `start`,
     * `{{port}}` here is the port picked for that process (`http://127.0.0.1:{{port}}/v1`).
     */
    upstream: z.string().optional(),
    unmatched: UnmatchedPolicy.default('error'),
    /**
     * A staging process rehearsal starts for this dependency before the target (same fields as
     * `target.start`; `{{port}}` is a free port of its own), logged to `<run-dir>/dep-<name>.log`
     * and stopped at the end of the run.
     */
    start: StartCommand.optional(),
  })
  .strict();
export type DependencyConfig = z.infer<typeof DependencyConfig>;

/** Where a fault rule applies. Every condition given must hold; absent means "any". */
const FaultScope = {
  dependency: z.string().optional(),
  /** Exchange name (tool name, model id, index). */
  name: z.string().optional(),
  /** Fraction of session instances (chosen by seed) the rule applies to. */
  sessions: z.number().min(0).max(1).optional(),
  /** Turn indexes (0-based). */
  turns: z.array(z.number().int().nonnegative()).optional(),
  /** n-th call of the dependency within a turn (0-based). */
  calls: z.array(z.number().int().nonnegative()).optional(),
  /** Per-call probability, drawn from the call's own seeded generator. */
  probability: z.number().min(0).max(1).default(1),
};

export const FaultRule = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('latency'),
      ...FaultScope,
      distribution: z.enum(['fixed', 'uniform', 'normal', 'lognormal', 'recorded']).default('fixed'),
      ms: Duration.optional(),
      min: Duration.optional(),
      max: Duration.optional(),
      mean: Duration.optional(),
      stddev: Duration.optional(),
      p50: Duration.optional(),
      p99: Duration.optional(),
      factor: z.number().positive().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('http-error'),
      ...FaultScope,
      status: z.number().int().min(400).max(599).default(503),
      retryAfter: z.number().nonnegative().optional(),
      body: z.unknown().optional(),
    })
    .strict(),
  z.object({ kind: z.literal('hang'), ...FaultScope, ms: Duration.default(120_000) }).strict(),
  z.object({ kind: z.literal('reset'), ...FaultScope }).strict(),
  z.object({ kind: z.literal('truncate'), ...FaultScope, fraction: z.number().min(0).max(1).default(0.5) }).strict(),
  z.object({ kind: z.literal('malformed'), ...FaultScope }).strict(),
  z.object({ kind: z.literal('malformed-tool-call'), ...FaultScope }).strict(),
  z
    .object({ kind: z.literal('stream-stall'), ...FaultScope, afterChunks: z.number().int().nonnegative().default(1), ms: Duration.default(10_000) })
    .strict(),
  z.object({ kind: z.literal('stream-cut'), ...FaultScope, afterChunks: z.number().int().nonnegative().default(1) }).strict(),
  z
    .object({
      kind: z.literal('retrieval'),
      ...FaultScope,
      mode: z.enum(['fewer', 'empty', 'stale']),
      keep: z.number().int().nonnegative().default(1),
    })
    .strict(),
]);
export type FaultRule = z.infer<typeof FaultRule>;
export type FaultKindName = FaultRule['kind'];

const Stage = z.object({ duration: Duration, target: z.number().nonnegative() }).strict();

export const LoadConfig = z
  .object({
    /** `recorded`: sessions start at recorded offsets ÷ speed; `poisson`: seeded arrivals at `rate`/s; `closed`: `users` virtual users. */
    model: z.enum(['recorded', 'poisson', 'closed']).default('recorded'),
    /** Time compression: 2 = twice as fast (offsets and think times halved). */
    speed: z.number().positive().default(1),
    rate: z.number().positive().optional(),
    users: z.number().int().positive().optional(),
    /** Each selected session is played this many times, each clone with fresh identities. */
    clones: z.number().int().positive().default(1),
    /** Cap on sessions in flight. */
    concurrency: z.number().int().positive().optional(),
    /** Ramp: target is arrivals/s (poisson) or users (closed), interpolated linearly. */
    stages: z.array(Stage).optional(),
    maxDuration: Duration.optional(),
    /**
     * Turns intended in this first part of the run are measured apart; when > 0 the target's
     * keep-alive connections are also pre-opened before t = 0 (see `warmupRequest`).
     */
    warmup: Duration.default(0),
    /**
     * Path on the target's origin that warm-up `GET`s to pre-open connections (must have no side
     * effect); `target.start.health` when on the same origin by default. Setting it pre-opens
     * connections even without `warmup`.
     */
    warmupRequest: z.string().regex(/^\//, 'a path starting with /').optional(),
    /** Think time between turns: as recorded (× 1/speed), none, or fixed. */
    thinkTime: z.union([z.literal('recorded'), z.literal('none'), Duration]).default('recorded'),
  })
  .strict();
export type LoadConfig = z.infer<typeof LoadConfig>;

const detectorToggle = z.looseObject({ enabled: z.boolean().default(true) });

/** Options of each detector (see docs/detectors.md); every field has a default. */
export const ContextLossOptions = detectorToggle.extend({
  /** Facts never reported missing (e.g. a greeting number that the app rightly drops). */
  ignoreFacts: z.array(z.string()).default([]),
});
export const LeakageOptions = detectorToggle.extend({
  /** Canaries shorter than this are not searched (too likely to match by chance). */
  minCanaryLength: z.number().int().positive().default(4),
});
export const CascadeOptions = detectorToggle.extend({
  /** Calls to a failed dependency per recorded (logical) call above this are a retry storm. */
  maxAttemptsPerCall: z.number().int().positive().default(4),
  /** A retry after a failure sooner than this has no backoff. */
  minBackoff: Duration.default(25),
  /** Retries without backoff tolerated per dependency and turn before it is a finding. */
  maxRetriesWithoutBackoff: z.number().int().nonnegative().default(1),
  /** Regex (case-insensitive) on tool names / paths of calls with side effects. */
  sideEffectTools: z.string().default('create|update|delete|send|cancel|refund|submit|ticket|charge'),
  /** Extra phrases that claim success, on top of the built-in multilingual list. */
  successPhrases: z.array(z.string()).default([]),
});
export const SchemaDriftOptions = detectorToggle.extend({
  /** Structured-output paths never compared (`triage.name`, `items[].note`). */
  ignorePaths: z.array(z.string()).default([]),
});
export const LatencyCollapseOptions = detectorToggle.extend({
  /** A turn slower than this is a finding (measured from its intended send time). */
  turnBudget: Duration.optional(),
  /** Injected delays below this are not tracked (too small to tell a timeout from waiting). */
  minInjected: Duration.default(1000),
  /** The app "waited" when the call lasted at least this fraction of the injected delay. */
  waitFraction: z.number().min(0).max(1).default(0.9),
  /** Kinds of dependency the app is expected to time out on rather than wait for. */
  optionalKinds: z.array(ExchangeKind).default(['retrieval', 'tool', 'http']),
});

export const DetectorsConfig = z
  .object({
    context_loss: ContextLossOptions.prefault({}),
    leakage: LeakageOptions.prefault({}),
    cascade: CascadeOptions.prefault({}),
    schema_drift: SchemaDriftOptions.prefault({}),
    latency_collapse: LatencyCollapseOptions.prefault({}),
    unmatched_call: detectorToggle.prefault({}),
    assertion: detectorToggle.prefault({}),
  })
  .strict();
export type DetectorsConfig = z.infer<typeof DetectorsConfig>;

export const Assertion = z
  .object({
    name: z.string(),
    /** Turn indexes; all turns when absent. */
    turns: z.array(z.number().int().nonnegative()).optional(),
    /** Regex on the turn's input: the prompt family this applies to. */
    when: z.string().optional(),
    mustInclude: z.array(z.string()).optional(),
    mustNotInclude: z.array(z.string()).optional(),
    regex: z.string().optional(),
    /** JSON Schema the structured output must satisfy. */
    jsonSchema: z.record(z.string(), z.unknown()).optional(),
    toolCalled: z.string().optional(),
    toolNotCalled: z.string().optional(),
    refusal: z.boolean().optional(),
    severity: z.enum(['critical', 'high', 'medium', 'low']).default('medium'),
  })
  .strict();
export type Assertion = z.infer<typeof Assertion>;

export const ReporterName = z.enum(['console', 'json', 'junit', 'markdown', 'html']);
export type ReporterName = z.infer<typeof ReporterName>;

export const Scenario = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'letters, digits, dot, dash, underscore'),
    description: z.string().optional(),
    seed: z.union([z.string(), z.number()]).transform(String).default('1'),
    recordings: z.array(z.string()).min(1),
    select: Selection.default({}),
    target: Target,
    dependencies: z.record(z.string(), DependencyConfig).default({}),
    load: LoadConfig.default({ model: 'recorded', speed: 1, clones: 1, warmup: 0, thinkTime: 'recorded' }),
    faults: z.array(FaultRule).default([]),
    detectors: DetectorsConfig.default(DetectorsConfig.parse({})),
    assertions: z.array(Assertion).default([]),
    /** Replay faulted instances again without faults (control), and/or a baseline twice (noise). */
    control: z.object({ faulted: z.boolean().default(false), baseline: z.boolean().default(false) }).strict().default({ faulted: false, baseline: false }),
    /** k6-style: `leakage == 0`, `rate(context_loss) < 0.01`, `p95(turn_ms) < 4000`. */
    gates: z.array(z.string()).default([]),
    /** Hosts (besides loopback) the production guard lets the target and proxy upstreams reach. */
    allowHosts: z.array(z.string()).default([]),
    outputs: z
      .object({
        dir: z.string().default('runs/{name}-{time}'),
        reporters: z.array(ReporterName).default(['console', 'json', 'junit', 'markdown', 'html']),
      })
      .strict()
      .default({ dir: 'runs/{name}-{time}', reporters: ['console', 'json', 'junit', 'markdown', 'html'] }),
  })
  .strict();
export type Scenario = z.infer<typeof Scenario>;
/** The YAML as written, before defaults. */
export type ScenarioInput = z.input<typeof Scenario>;
