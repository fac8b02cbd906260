import { systemClock, type Clock } from '../util/clock.ts';

interface SpinEntry {
  due: number;
  resolve: () => void;
}

/**
 * Waits until absolute times of the plan, never early.
 *
 * Design: Node timers may fire up to ~2 ms early or several ms late. Each waiter sleeps on
 * the clock until `spinMs` before its due time, re-arming against the absolute deadline (not a
 * relative delay) if woken early; the last `spinMs` are finished by one shared `setImmediate`
 * loop that resolves every due waiter, so a thousand waiters cost one spin, not a thousand.
 * With a `ManualClock` (tests) `spinMs` is 0 and waiting is exact.
 */
export class PreciseTimer {
  readonly clock: Clock;
  readonly #spinMs: number;
  #spinning: SpinEntry[] = [];
  #loopArmed = false;

  constructor(clock: Clock = systemClock, spinMs = clock === systemClock ? 2 : 0) {
    this.clock = clock;
    this.#spinMs = spinMs;
  }

  /** Resolves at or after clock time `due`; rejects if `signal` aborts first. */
  async until(due: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const remaining = due - this.clock.now();
      if (remaining <= 0) return;
      if (remaining <= this.#spinMs) return this.#spin(due, signal);
      await this.clock.sleep(remaining - this.#spinMs, signal);
    }
  }

  #spin(due: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#spinning = this.#spinning.filter((e) => e !== entry);
        reject(signal?.reason);
      };
      const entry: SpinEntry = {
        due,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.#spinning.push(entry);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#arm();
    });
  }

  #arm(): void {
    if (this.#loopArmed) return;
    this.#loopArmed = true;
    setImmediate(() => this.#tick());
  }

  #tick(): void {
    this.#loopArmed = false;
    const now = this.clock.now();
    const waiting: SpinEntry[] = [];
    for (const entry of this.#spinning) {
      if (entry.due <= now) entry.resolve();
      else waiting.push(entry);
    }
    this.#spinning = waiting;
    if (waiting.length > 0) this.#arm();
  }
}
