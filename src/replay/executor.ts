import type { LoadPlan, ScheduledInstance } from './plan.ts';
import type { PreciseTimer } from './precise-timer.ts';

export interface ExecutorOptions {
  plan: LoadPlan;
  timer: PreciseTimer;
  /** Clock time of the run's t = 0. */
  origin: number;
  /** Cap on instances in flight (open models); waiting instances keep their planned start. */
  concurrency?: number;
  /** After this long (from origin) no instance starts and in-flight ones are aborted. */
  maxDurationMs?: number;
  /** Graceful stop (first SIGINT): start nothing new, let in-flight instances finish. */
  stop?: AbortSignal;
  /** Hard stop (second SIGINT): abort in-flight instances too. */
  abort?: AbortSignal;
  /**
   * Plays one instance. `intendedStart` is the clock time it should have started (latency of
   * its first turn counts from there, not from when a concurrency slot freed up).
   */
  play(instance: ScheduledInstance, intendedStart: number, signal: AbortSignal): Promise<void>;
}

export interface ExecutionResult {
  /** Instances that never started (stopped, max duration, ramped down, or unscheduled). */
  notStarted: string[];
  /** True when SIGINT or the max duration stopped the run. */
  interrupted: boolean;
}

/**
 * The thin, effectful half of the scheduler: walks the pure `LoadPlan` on the injected clock.
 * Open models: one dispatch loop waits for each planned start in order and launches the
 * instance without waiting for it (so a slow target never delays arrivals: no coordinated
 * omission). Closed model: each virtual user plays instances one after another from its start
 * until its stop time (the ramp); instances no user took are `notStarted`. Shadows
 * (control, baseline) play right after the instance they shadow.
 */
export async function executePlan(options: ExecutorOptions): Promise<ExecutionResult> {
  const { plan, timer, origin } = options;
  const halt = new AbortController();
  const hard = options.abort ? AbortSignal.any([options.abort, halt.signal]) : halt.signal;
  const stop = options.stop ? AbortSignal.any([options.stop, hard]) : hard;
  const slots = new Semaphore(plan.model === 'closed' ? Infinity : (options.concurrency ?? Infinity));
  const started = new Set<string>();
  const shadowsOf = new Map<string, ScheduledInstance[]>();
  for (const inst of plan.instances) {
    if ('after' in inst.start) shadowsOf.set(inst.start.after, [...(shadowsOf.get(inst.start.after) ?? []), inst]);
  }
  const playing = new Set(plan.instances.map((i) => i.instance));
  let maxReached = false;
  if (options.maxDurationMs !== undefined) {
    timer.until(origin + options.maxDurationMs, stop).then(
      () => {
        maxReached = true;
        halt.abort(new Error(`max duration ${options.maxDurationMs} ms reached`));
      },
      () => {},
    );
  }

  const playOne = async (inst: ScheduledInstance, intended: number): Promise<void> => {
    await slots.acquire();
    try {
      if (stop.aborted) return;
      started.add(inst.instance);
      await options.play(inst, intended, hard);
    } finally {
      slots.release();
    }
    for (const shadow of shadowsOf.get(inst.instance) ?? []) {
      if (stop.aborted) return;
      await playOne(shadow, timer.clock.now());
    }
  };

  const tasks: Array<Promise<void>> = [];
  // Shadows whose main is not in this plan (resume after the main ended) start at once.
  const orphans = plan.instances.filter((i) => 'after' in i.start && !playing.has(i.start.after));
  for (const o of orphans) tasks.push(playOne(o, origin));

  if (plan.model === 'closed') {
    const queue = plan.instances.filter((i) => 'user' in i.start);
    const user = async (startAt: number, stopAt: number): Promise<void> => {
      try {
        await timer.until(origin + startAt, stop);
      } catch {
        return;
      }
      // Ramp-down: past its stop time a user takes no new instance; the one it plays finishes.
      while (!stop.aborted && timer.clock.now() < origin + stopAt) {
        const next = queue.shift();
        if (!next) return;
        await playOne(next, timer.clock.now());
      }
    };
    tasks.push(...plan.userStarts.map((startAt, u) => user(startAt, plan.userStops[u] ?? Infinity)));
  } else {
    const arrivals = plan.instances.filter((i): i is ScheduledInstance & { start: { at: number } } => 'at' in i.start).sort((a, b) => a.start.at - b.start.at);
    for (const inst of arrivals) {
      const intended = origin + inst.start.at;
      try {
        await timer.until(intended, stop);
      } catch {
        break;
      }
      tasks.push(playOne(inst, intended));
    }
  }
  await Promise.all(tasks);
  halt.abort(new Error('run finished'));
  const notStarted = [...plan.instances.map((i) => i.instance).filter((id) => !started.has(id)), ...plan.unscheduled];
  return { notStarted, interrupted: maxReached || (options.stop?.aborted ?? false) || (options.abort?.aborted ?? false) };
}

/** Counting semaphore; waiters are served in arrival order. */
class Semaphore {
  #free: number;
  #waiters: Array<() => void> = [];
  constructor(size: number) {
    this.#free = size;
  }
  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
  release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#free++;
  }
}
