/**
 * Virtual dependencies: the loopback HTTP server the staging app's dependency base URLs point
 * at during replay (`/_deps/<name>/<path>`). Per dependency it answers from the recording
 * (`replay`) or forwards to a staging upstream (`proxy`), injects the scenario's seeded faults
 * and reports every call as a `CallEvent`. See docs/faults.md.
 */
import type { Rekeyer } from '../anonymize/index.ts';
import type { CallEvent, Session, SessionVariant } from '../model/index.ts';
import type { DependencyConfig, FaultRule } from '../scenario/schema.ts';
import type { Clock } from '../util/clock.ts';
import { startServer } from './virtual-deps-server.ts';

/** A session instance the virtual dependencies answer for while it plays. */
export interface InstanceContext {
  /** Session instance id (also sent by the target as `x-rehearsal-session`). */
  instance: string;
  /**
   * Stable key for seeding this instance's random choices (fault schedule, surrogates): the
   * same in every run of the same scenario and seed, independent of run id and interleaving,
   * e.g. `s0007~c1`. `repro` relies on it.
   */
  seedKey: string;
  recorded: Session;
  /** Maps recorded surrogates to this instance's identities in every answer served. */
  rekeyer: Rekeyer;
  variant: SessionVariant;
  /** False for control instances: no fault rule applies. */
  faultsEnabled: boolean;
}

export interface VirtualDepsOptions {
  dependencies: Record<string, DependencyConfig>;
  faults: FaultRule[];
  seed: string;
  clock?: Clock;
  /** Every observed call, in completion order. */
  onCall(event: CallEvent): void;
  /** Misses under the `warn` policy and internal failures, one line each (default: dropped). */
  onWarning?(message: string): void;
  /** `clock.now()` when the run started: `CallEvent.t` counts from it (default: server start). */
  runStartedAt?: number;
  /**
   * What to wait for before sending a call's answer (`undefined`: answer when ready). A repro
   * of several instances uses it to keep the run's order of answers (src/replay/answer-order.ts).
   */
  holdUntil?: AnswerHold;
}

/** Resolves when call `callIndex` of `dependency` in `turn` of `instance` may be answered; undefined: at once. */
export type AnswerHold = (call: { instance: string; turn: number | null; dependency: string; callIndex: number }, signal: AbortSignal) => Promise<void> | undefined;

export interface VirtualDeps {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Base URL the staging app should use for dependency `name`: `${url}/_deps/${name}`. */
  baseUrl(name: string): string;
  register(ctx: InstanceContext): void;
  /** The turn the instance is on now (null between turns): used for attribution by time. */
  setTurn(instance: string, turn: number | null): void;
  unregister(instance: string): void;
  close(): Promise<void>;
}

/**
 * Starts the virtual dependency server on 127.0.0.1 (free port). Throws HarnessError('CONFIG')
 * listing every problem in `dependencies` and `faults` at once.
 */
export function startVirtualDeps(options: VirtualDepsOptions): Promise<VirtualDeps> {
  return startServer(options);
}

export { traceparentFor, parseTraceparent, traceKeyFor, baggageFor, parseBaggage } from '../wire/trace-context.ts';
export { decideFaults, validateFaultRules, ruleCoversInstance, type FaultCoords } from './faults/decide.ts';
export { describeFaultPlan, formatFaultPlan, type FaultPlanEntry, type FaultPlanOptions } from './faults/plan.ts';
export { composeFaults, describeApplied } from './faults/compose.ts';
export { faultKinds } from './faults/registry.ts';
export { match, SIMILAR_ENOUGH, type CallToMatch, type MatchResult } from './matcher.ts';
export { indexCandidates, type Candidate, type CandidateIndex } from './candidates.ts';
export { VOLATILE_FIELDS } from './similarity.ts';
