import type { StreamChunk } from '../../model/index.ts';
import type { FaultRule } from '../../scenario/schema.ts';
import type { Clock } from '../../util/clock.ts';
import type { Rng } from '../../util/rng.ts';

/**
 * The answer a virtual dependency is about to give, before it is written. Fault wrappers edit
 * it (or replace it) on its way out. `whole` carries `json` when the text is the serialisation
 * of a known value, so the journal needs no re-parse on the unedited hot path.
 */
export type ReplyBody =
  | { type: 'whole'; text: string; json?: unknown }
  | { type: 'chunks'; chunks: StreamChunk[] }
  /** A proxied body still arriving; wrappers that edit bodies materialise it first. */
  | { type: 'live'; source: AsyncIterable<Uint8Array>; streamed: boolean };

export interface Reply {
  status: number;
  /** Lower-case names. `content-length` is never set here: the writer computes it. */
  headers: Record<string, string>;
  body: ReplyBody;
}

/** What happens to the call: a reply is written, or the connection is dropped without one. */
export type Outcome =
  | { type: 'reply'; reply: Reply }
  /** `code` lands in the journal: `ECONNRESET` (reset fault), `hang`, `client_closed`. */
  | { type: 'drop'; code: string; message: string };

/** What a fault wrapper may use about the call in flight. */
export interface FaultCall {
  clock: Clock;
  /** Aborts when the app closes the connection (it gave up). */
  signal: AbortSignal;
  /** The matched recorded exchange's duration, for `latency` with `distribution: recorded`. */
  recordedDurationMs: number | undefined;
}

/** Produces the outcome of a call; fault kinds wrap one handler into another. */
export type Handler = (call: FaultCall) => Promise<Outcome>;

/** The concrete values of one fault for one call: what `AppliedFault.detail` holds. */
export type FaultDetail = Record<string, unknown>;

/**
 * One fault kind (the seam: `validate(options) → issues`, `wrap(next) → next`). `draw` fixes
 * every random value up front from the call's own generator, so the whole schedule is pure
 * data (printable by `--dry-run` and `repro`) before anything is served.
 */
export interface FaultKind<R extends FaultRule, D extends FaultDetail> {
  /** Problems with the rule's options the schema cannot see, in words. */
  validate(rule: R): string[];
  draw(rule: R, rng: Rng): D;
  wrap(detail: D, next: Handler): Handler;
  /** One line for plans and traces, e.g. `latency 812 ms`. */
  describe(detail: D): string;
}
