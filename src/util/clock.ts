/** Time source injected wherever time matters, so schedulers are testable without sleeps. */
export interface Clock {
  /** Milliseconds, monotonic, arbitrary origin (like performance.now()). */
  now(): number;
  /** Wall-clock epoch milliseconds (for timestamps written to journals). */
  wallNow(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** A clock that only moves when told to; `sleep` resolves when `advance` passes its due time. */
export class ManualClock implements Clock {
  #now = 0;
  #wallOrigin: number;
  #sleepers: Array<{ due: number; resolve: () => void }> = [];

  constructor(wallOrigin = Date.UTC(2026, 0, 1)) {
    this.#wallOrigin = wallOrigin;
  }
  now(): number {
    return this.#now;
  }
  wallNow(): number {
    return this.#wallOrigin + this.#now;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.#sleepers.push({ due: this.#now + Math.max(0, ms), resolve }));
  }
  /** Move time forward, waking sleepers in due order. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      this.#sleepers.sort((a, b) => a.due - b.due);
      const first = this.#sleepers[0];
      if (!first || first.due > target) break;
      this.#sleepers.shift();
      this.#now = first.due;
      first.resolve();
      await new Promise((r) => setImmediate(r));
    }
    this.#now = target;
  }
}
