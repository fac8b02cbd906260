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

/** A live adapter for one run. */
export interface TargetAdapter {
  send(turn: TargetTurn, context: SendContext): Promise<ObservedReply>;
  /** Called when an instance has played its last turn (browser: closes its page). */
  endSession?(instance: string): Promise<void>;
  close(): Promise<void>;
}
