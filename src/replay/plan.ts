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
  /** Closed model: when each virtual user starts taking sessions (ms from run start). */
  userStarts: number[];
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
    const users = load.stages ? userRamp(load.stages, load.users ?? 0) : Array.from({ length: load.users ?? 1 }, () => 0);
    return { model: 'closed', instances: [...mains.map((i) => ({ ...i, start: { user: true as const } })), ...shadows], userStarts: users, unscheduled: [] };
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
  return { model: load.model, instances: [...scheduled, ...shadows], userStarts: [], unscheduled };
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

/** Start time of each virtual user: when the linear user ramp first reaches user n+1. */
function userRamp(stages: readonly Stage[], startUsers: number): number[] {
  const starts: number[] = [];
  for (let u = 0; u < startUsers; u++) starts.push(0);
  let t = 0;
  let from = startUsers;
  for (const s of stages) {
    for (let u = starts.length; u < s.target; u++) {
      // First time within this stage where from + (to-from)·x/d ≥ u+1.
      const x = s.target === from ? 0 : ((u + 1 - from) / (s.target - from)) * s.duration;
      starts.push(t + Math.max(0, x));
    }
    t += s.duration;
    from = s.target;
  }
  return starts;
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
