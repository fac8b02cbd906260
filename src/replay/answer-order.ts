import type { AnswerHold } from '../deps/index.ts';
import type { Clock } from '../util/clock.ts';

/** One dependency answer of the run: which instance (repro id) and call, and when it began (ms after the repro's t = 0). */
export interface RunAnswer {
  instance: string;
  key: string;
  at: number;
}

/** Only answers of the other instances this recent (ms before this one, in the run) are waited for. */
const WINDOW_MS = 1_000;
/** Longest wait for such an answer: one the repro never makes must not stall the replay. */
const CAP_MS = 1_000;
/** After the answers it waits for: time for the app to act on them before this one arrives. */
const MARGIN_MS = 10;

/**
 * Keeps a run's order of dependency answers across the instances a repro replays together.
 *
 * Design note: a leak is a race — one session's call in flight at the moment another session
 * reaches shared state — and an unloaded staging app runs each turn at its own pace, so send
 * times alone drift apart by tens of milliseconds while the crossing window can be one. Each
 * answer is therefore held (a) never sooner than it began in the run, and (b) until every
 * answer of the *other* instances that began before it in the run (within `WINDOW_MS`) has been
 * given, plus `MARGIN_MS` for the app to act on them. (b) is what makes the owner's lookup still
 * be in flight when the victim, answered first as in the run, reaches the shared cache. Waits
 * are capped (`CAP_MS`): a call the app no longer makes cannot stall the replay. Within one
 * instance the app's own sequencing already keeps the order.
 */
export class AnswerOrder {
  readonly #clock: Clock;
  readonly #origin: () => number;
  readonly #byCall = new Map<string, RunAnswer>();
  readonly #answers: readonly RunAnswer[];
  readonly #given = new Set<string>();
  readonly #waiters = new Map<string, Array<() => void>>();

  constructor(answers: readonly RunAnswer[], clock: Clock, origin: () => number) {
    this.#answers = [...answers].sort((a, b) => a.at - b.at);
    for (const a of answers) this.#byCall.set(id(a.instance, a.key), a);
    this.#clock = clock;
    this.#origin = origin;
  }

  /** The virtual dependencies' hook: what to wait for before answering `call`. */
  readonly hold: AnswerHold = (call, signal) => {
    const mine = this.#byCall.get(id(call.instance, callKey(call.turn, call.dependency, call.callIndex)));
    return mine ? this.#wait(mine, signal) : undefined;
  };

  /** Called when an answer has been given (the call's journal event). */
  given(instance: string, key: string): void {
    const callId = id(instance, key);
    this.#given.add(callId);
    for (const wake of this.#waiters.get(callId) ?? []) wake();
    this.#waiters.delete(callId);
  }

  async #wait(mine: RunAnswer, signal: AbortSignal): Promise<void> {
    const before = this.#answers.filter((a) => a.instance !== mine.instance && a.at < mine.at && a.at >= mine.at - WINDOW_MS && !this.#given.has(id(a.instance, a.key)));
    if (before.length > 0) {
      const all = Promise.all(before.map((a) => new Promise<void>((resolve) => this.#waiters.set(id(a.instance, a.key), [...(this.#waiters.get(id(a.instance, a.key)) ?? []), resolve]))));
      // The cap's timer is cancelled once the answers came, so none outlives the replay.
      const answered = new AbortController();
      const cap = this.#clock.sleep(CAP_MS, AbortSignal.any([signal, answered.signal])).catch(() => {});
      await Promise.race([all, cap]);
      answered.abort();
      await this.#clock.sleep(MARGIN_MS, signal);
    }
    const due = this.#origin() + mine.at - this.#clock.now();
    if (due > 0) await this.#clock.sleep(due, signal);
  }
}

/** The key of a dependency call within an instance: its turn, dependency and index (as the journal numbers calls). */
export function callKey(turn: number | null, dependency: string, callIndex: number): string {
  return `${turn ?? '-'} ${dependency} #${callIndex}`;
}

function id(instance: string, key: string): string {
  return `${instance}\u0000${key}`;
}
