/**
 * A session the book has closed but not yet converted into the model's `Session`.
 *
 * Design: sessions close on the sweeper's timer, in the app's event loop. Converting one is
 * the costly part — every dependency call's bodies decoded, LLM wire formats parsed — about
 * 0.2–0.4 ms for a session of a few turns with LLM calls, so a sweep that built a thousand
 * idle sessions at once held the loop for a quarter of a second. Closing therefore only
 * detaches the session's ended turns (a snapshot: calls arriving later are not added); the
 * sink builds each one in its drain loop, between requests, right before anonymizing it.
 */
import type { Session, Turn, TurnOutput, RecordedRequest } from '../model/index.ts';
import { toExchange, type CapturedCall, type KindRules } from './captured-call.ts';

/** What the recording sink queues: a session built only when its turn to be written comes. */
export interface PendingSession {
  /** The raw (not yet anonymized) session; may throw on a recorder bug. */
  build(): Session;
}

/** A turn as it was when its session closed. */
export interface EndedTurn {
  /** Monotonic ms. */
  readonly startedAt: number;
  readonly startedWall: number;
  readonly input: { text: string; request?: RecordedRequest } | undefined;
  readonly output: TurnOutput;
  readonly calls: readonly CapturedCall[];
}

export class ClosedSession implements PendingSession {
  readonly #id: string;
  readonly #segment: Record<string, string>;
  /** Ended turns, earliest first; never empty. */
  readonly #turns: readonly EndedTurn[];
  readonly #kinds: KindRules;

  /** `turns` ended turns sorted by start, at least one. */
  constructor(id: string, segment: Record<string, string>, turns: readonly EndedTurn[], kinds: KindRules) {
    this.#id = id;
    this.#segment = segment;
    this.#turns = turns;
    this.#kinds = kinds;
  }

  build(): Session {
    const first = this.#turns[0] as EndedTurn;
    const turns: Turn[] = this.#turns.map((t, index) => ({
      index,
      offsetMs: t.startedAt - first.startedAt,
      input: t.input ?? { text: '' },
      output: t.output,
      exchanges: t.calls.map((c) => toExchange(c, t.startedAt, this.#kinds)).sort((a, b) => a.startOffsetMs - b.startOffsetMs),
    }));
    return { id: this.#id, startedAt: new Date(first.startedWall).toISOString(), segment: this.#segment, identities: [], turns };
  }
}
