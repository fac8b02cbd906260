import type { Session } from '../model/index.ts';
import type { LoadConfig } from '../scenario/schema.ts';
import { rngFor } from '../util/rng.ts';
import type { PlannedInstance } from './instances.ts';

/** When an instance starts: at a planned offset (open models), after another instance, or when a virtual user is free. */
export type StartRule = { at: number } | { after: string } | { user: true };

export interface ScheduledInstance extends PlannedInstance {
  start: StartRule;
}

/** The whole load plan as data: computed before anything runs, printed by `--dry-run`. */
export interface LoadPlan {
  model: LoadConfig['model'];
  instances: ScheduledInstance[];
  /** Closed model: when each virtual user starts taking sessions (ms from run start), in start order. */
  userStarts: number[];
  /**
   * Closed model: when each virtual user (same index as `userStarts`) stops taking new sessions;
   * the one it is playing then still finishes. `Infinity` for a user that never stops.
   */
  userStops: number[];
  /** Instances left out because the ramp ended at zero before they could arrive. */
  unscheduled: string[];
}

/**
 * Computes start times. `recorded`: each session starts at its recorded offset from the
 * earliest session, ÷ speed; clone c is shifted by c/clones of the recorded span, so k clones
 * repeat the recorded arrival pattern k times more densely. `poisson`: seeded arrivals whose
 * rate follows `stages` (see `poissonArrivals`). `closed`: `users` virtual users (or the
 * `stages` user ramp) each play one instance after another. Shadows start after their main.
 */
export function planLoad(instances: readonly PlannedInstance[], sessions: ReadonlyMap<string, Session>, load: LoadConfig, seed: string): LoadPlan {
  const mains = instances.filter((i) => i.shadowOf === undefined);
  const shadows: ScheduledInstance[] = instances.filter((i) => i.shadowOf !== undefined).map((i) => ({ ...i, start: { after: i.shadowOf as string } }));
  if (load.model === 'closed') {
    const users = load.stages ? userRamp(load.stages, load.users ?? 0) : Array.from({ length: load.users ?? 1 }, () => ({ start: 0, stop: Infinity }));
    return {
      model: 'closed',
      instances: [...mains.map((i) => ({ ...i, start: { user: true as const } })), ...shadows],
      userStarts: users.map((u) => u.start),
      userStops: users.map((u) => u.stop),
      unscheduled: [],
    };
  }
  let offsets: Array<number | undefined>;
  if (load.model === 'poisson') {
    offsets = poissonArrivals(mains.length, load.rate ?? 1, load.stages, seed);
  } else {
    const startOf = (i: PlannedInstance) => Date.parse((sessions.get(i.recordedId) as Session).startedAt);
    const first = Math.min(...mains.map(startOf));
    const span = Math.max(0, ...mains.map(startOf)) - first;
    offsets = mains.map((i) => (startOf(i) - first + (i.clone * span) / load.clones) / load.speed);
  }
  const scheduled: ScheduledInstance[] = [];
  const unscheduled: string[] = [];
  mains.forEach((inst, n) => {
    const at = offsets[n];
    if (at === undefined) unscheduled.push(inst.instance);
    else scheduled.push({ ...inst, start: { at } });
  });
  return { model: load.model, instances: [...scheduled, ...shadows], userStarts: [], userStops: [], unscheduled };
}

type Stage = NonNullable<LoadConfig['stages']>[number];

/**
 * Seeded Poisson arrivals with a piecewise-linear rate. Design: draw unit-rate exponential
 * gaps in "cumulative intensity" space (Λ), then map each Λ back to time by inverting the
 * integral of the rate over each stage (a quadratic on a linear ramp). This is exact for any
 * ramp, needs no thinning, and the n-th arrival depends only on the seed. After the last stage
 * the rate stays at its final target; when that is 0 the remaining arrivals are left out.
 */
export function poissonArrivals(count: number, startRate: number, stages: readonly Stage[] | undefined, seed: string): Array<number | undefined> {
  const rng = rngFor(seed, 'arrivals');
  const segments = rateSegments(startRate, stages);
  const out: Array<number | undefined> = [];
  let lambda = 0;
  for (let n = 0; n < count; n++) {
    lambda += -Math.log(1 - rng.next());
    out.push(timeAtIntensity(segments, lambda));
  }
  return out;
}

interface Segment {
  startMs: number;
  durationMs: number;
  /** Arrivals per second at the start and end of the segment. */
  from: number;
  to: number;
}

function rateSegments(startRate: number, stages: readonly Stage[] | undefined): Segment[] {
  if (!stages || stages.length === 0) return [{ startMs: 0, durationMs: Infinity, from: startRate, to: startRate }];
  const out: Segment[] = [];
  let t = 0;
  let rate = startRate;
  for (const s of stages) {
    out.push({ startMs: t, durationMs: s.duration, from: rate, to: s.target });
    t += s.duration;
    rate = s.target;
  }
  out.push({ startMs: t, durationMs: Infinity, from: rate, to: rate });
  return out;
}

function timeAtIntensity(segments: readonly Segment[], lambda: number): number | undefined {
  let remaining = lambda;
  for (const seg of segments) {
    const d = seg.durationMs / 1000;
    const area = Number.isFinite(d) ? ((seg.from + seg.to) / 2) * d : seg.from > 0 ? Infinity : 0;
    if (remaining > area) {
      remaining -= area;
      continue;
    }
    // Solve from·x + (to-from)/(2d)·x² = remaining for x in seconds.
    const k = Number.isFinite(d) ? (seg.to - seg.from) / (2 * d) : 0;
    const x = Math.abs(k) < 1e-12 ? remaining / seg.from : (-seg.from + Math.sqrt(seg.from * seg.from + 4 * k * remaining)) / (2 * k);
    return seg.startMs + x * 1000;
  }
  return undefined;
}

/**
 * The closed model's virtual users as [start, stop) windows, sorted by start. Design: the user
 * count follows the piecewise-linear ramp N(t) — from `users` (or 0) through each stage's
 * target, constant at the final target after the last stage — and the k-th user is active while
 * N(t) ≥ k. So on a rising stage from a to b user k starts where the line reaches k, and on a
 * falling one it stops where the line drops below k; both are one division, exact for any ramp.
 * A count that rises again after a fall starts fresh users (new windows). Users still active
 * after the last stage never stop (`Infinity`; a final target of 0 stops everyone), and a window
 * of no length (a peak that only touches k) is left out.
 */
function userRamp(stages: readonly Stage[], startUsers: number): Array<{ start: number; stop: number }> {
  const windows: Array<{ start: number; stop: number; level: number }> = [];
  // active[k - 1]: the window of user k, for k ≤ ⌊N(t)⌋ at the current stage boundary.
  const active: Array<{ start: number; stop: number; level: number }> = [];
  const begin = (level: number, start: number) => active.push({ start, stop: Infinity, level });
  for (let k = 1; k <= startUsers; k++) begin(k, 0);
  let t = 0;
  let from = startUsers;
  for (const s of stages) {
    const to = s.target;
    for (let k = active.length + 1; k <= to; k++) begin(k, t + ((k - from) / (to - from)) * s.duration);
    while (active.length > to) {
      const user = active.pop() as (typeof active)[number];
      user.stop = t + ((from - user.level) / (from - to)) * s.duration;
      if (user.stop > user.start) windows.push(user);
    }
    t += s.duration;
    from = to;
  }
  windows.push(...active);
  return windows.sort((a, b) => a.start - b.start || a.level - b.level).map(({ start, stop }) => ({ start, stop }));
}

/** Recorded think time before turn `k` (k ≥ 1): from the previous reply to this input, ÷ speed; or as configured. */
export function thinkTimeMs(session: Session, k: number, load: Pick<LoadConfig, 'thinkTime' | 'speed'>): number {
  if (k === 0 || load.thinkTime === 'none') return 0;
  if (typeof load.thinkTime === 'number') return load.thinkTime;
  const prev = session.turns[k - 1];
  const turn = session.turns[k];
  if (!prev || !turn) return 0;
  return Math.max(0, turn.offsetMs - prev.offsetMs - prev.output.latencyMs) / load.speed;
}

/** Rough duration of an instance for the plan summary: think times plus recorded reply latencies. */
export function estimatedDurationMs(session: Session, load: Pick<LoadConfig, 'thinkTime' | 'speed'>): number {
  return session.turns.reduce((sum, t, k) => sum + thinkTimeMs(session, k, load) + t.output.latencyMs, 0);
}
