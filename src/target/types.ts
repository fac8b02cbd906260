/**
 * The target seam: `send(turn, context) → observed reply`. One adapter per way of talking to
 * a staging app (http, sse, browser, function); the replayer knows nothing else about it.
 */

/** One user turn to send. */
export interface TargetTurn {
  /** Turn index within the session (0-based). */
  index: number;
  /** The user's words, already re-keyed for this instance. */
  input: string;
}

/** Who is sending: used for templates and the attribution headers every turn carries. */
export interface SendContext {
  runId: string;
  /** Session instance id, unique within the run. */
  instance: string;
  /** `traceparent`, `baggage`, `x-rehearsal-*`: see `propagationHeaders`. */
  headers: Readonly<Record<string, string>>;
  /** Aborts the turn (timeout, second SIGINT). */
  signal: AbortSignal;
}

/** What the target answered, as the replayer observed it. */
export interface ObservedReply {
  /** HTTP status; 0 when no response arrived (connection refused, reset, timeout). */
  status: number;
  text: string;
  structured?: unknown;
  /** Time to the first reply byte / text chunk. */
  ttftMs?: number;
  /** Gaps between streamed chunks. */
  gapsMs?: number[];
  /** Why the turn failed, in words (transport error, unparsable reply, timeout). */
  error?: string;
}

/** Pre-opening the adapter's keep-alive connections before the run's t = 0 (`load.warmup`). */
export interface WarmUpRequest {
  /** Path (and query) on the target's origin to `GET`: a request without side effects (health). */
  path: string;
  /** How many requests to send at once, so the pool opens that many connections. */
  connections: number;
  /** Aborts the warm-up (SIGINT). */
  signal: AbortSignal;
}

/** What a warm-up did; failures are counted and described, never thrown. */
export interface WarmUpResult {
  /** Connections open in the pool once every request settled (undici `pool.stats.connected`). */
  open: number;
  ok: number;
  failed: number;
  /** Distinct failures in words (`GET /health: 503`, `GET /health: ECONNRESET …`), a few at most. */
  errors: string[];
}

/** A live adapter for one run. */
export interface TargetAdapter {
  send(turn: TargetTurn, context: SendContext): Promise<ObservedReply>;
  /** Opens keep-alive connections ahead of the first turn; absent for adapters without a connection pool. */
  warmUp?(request: WarmUpRequest): Promise<WarmUpResult>;
  /** Called when an instance has played its last turn (browser: closes its page). */
  endSession?(instance: string): Promise<void>;
  close(): Promise<void>;
}
