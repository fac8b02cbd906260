import { describeFaultPlan, formatFaultPlan } from '../deps/index.ts';
import type { Session } from '../model/index.ts';
import type { Scenario } from '../scenario/schema.ts';
import { expandInstances, type PlannedInstance } from './instances.ts';
import { estimatedDurationMs, planLoad, type LoadPlan } from './plan.ts';
import { loadRecordings, type LoadedRecordings } from './recordings.ts';
import { selectSessions, type SelectionSummary, type Shard } from './select.ts';

/** Everything decided before the run sends anything. */
export interface PreparedRun {
  scenario: Scenario;
  shard: Shard | undefined;
  recordings: LoadedRecordings['sources'];
  /** Selected recorded sessions by id. */
  sessions: Map<string, Session>;
  selection: SelectionSummary;
  instances: PlannedInstance[];
  plan: LoadPlan;
}

/** Reads the recordings, selects, expands instances and computes the load plan. */
export async function prepareRun(scenario: Scenario, runTag: string, shard?: Shard): Promise<PreparedRun> {
  const loaded = await loadRecordings(scenario.recordings);
  return planFromSessions(scenario, loaded.sessions, loaded.sources, runTag, shard);
}

/** The pure part of `prepareRun`, for tests and for callers holding sessions already. */
export function planFromSessions(scenario: Scenario, all: readonly Session[], sources: LoadedRecordings['sources'], runTag: string, shard?: Shard): PreparedRun {
  const { sessions, summary } = selectSessions(all, scenario, shard);
  const byId = new Map(sessions.map((s) => [s.id, s]));
  const instances = expandInstances(sessions, scenario, runTag);
  const plan = planLoad(instances, byId, scenario.load, scenario.seed);
  return { scenario, shard, recordings: sources, sessions: byId, selection: summary, instances, plan };
}

/** The `--dry-run` plan: pure data, k6 style. */
export interface PlanSummary {
  scenario: string;
  seed: string;
  shard: Shard | null;
  sessions: SelectionSummary & { ids: string[] };
  instances: { total: number; main: number; control: number; baseline: number; clones: number; unscheduled: number };
  schedule: {
    model: LoadPlan['model'];
    speed: number;
    /** Open models: first and last planned start, ms from run start. */
    firstStartMs: number | null;
    lastStartMs: number | null;
    /** Closed model: most virtual users active at once. */
    users: number | null;
    /**
     * Closed model: virtual users active at t = 0 and at the end of each load stage, i.e. the
     * ramp the executor will follow (users start and stop along it).
     */
    ramp: Array<{ atMs: number; users: number }> | null;
    /** Estimated from recorded think times and reply latencies, capped by `concurrency`. */
    peakConcurrency: number;
    estimatedDurationMs: number;
    /** Closed model: instances estimated not to start because every user stopped first (ramp-down). */
    estimatedNotStarted: number | null;
    concurrencyCap: number | null;
    maxDurationMs: number | null;
    warmupMs: number;
  };
  faults: {
    rules: Array<{ rule: number; kind: string; scope: Record<string, unknown> }>;
    faultedInstances: number;
    controls: number;
    /** Faults the recorded calls of main instances will get (from the virtual dependencies' own decision function). */
    schedule: { faultedCalls: number; byKind: Record<string, number>; instances: Array<{ instance: string; faults: string[] }> };
  };
}

/** How many instances the dry-run lists one by one (the counts cover all of them). */
const LISTED_INSTANCES = 20;

export function summarizePlan(prepared: PreparedRun): PlanSummary {
  const { scenario, plan, instances } = prepared;
  const count = (v: string) => instances.filter((i) => i.variant === v).length;
  const starts = plan.instances.flatMap((i) => ('at' in i.start ? [i.start.at] : []));
  const closed = plan.model === 'closed' ? simulateUsers(plan, durationOf(prepared)) : undefined;
  const lastEnd = closed ? closed.endMs : Math.max(0, ...openIntervals(plan, durationOf(prepared)).map(([, end]) => end));
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    shard: prepared.shard ?? null,
    sessions: { ...prepared.selection, ids: [...prepared.sessions.keys()] },
    instances: { total: instances.length, main: count('main'), control: count('control'), baseline: count('baseline'), clones: scenario.load.clones, unscheduled: plan.unscheduled.length },
    schedule: {
      model: plan.model,
      speed: scenario.load.speed,
      firstStartMs: starts.length ? Math.min(...starts) : null,
      lastStartMs: starts.length ? Math.max(...starts) : null,
      users: plan.model === 'closed' ? peakOverlap(userWindows(plan)) : null,
      ramp: plan.model === 'closed' ? rampPoints(plan, scenario.load.stages ?? []) : null,
      peakConcurrency: estimatedPeak(prepared),
      estimatedDurationMs: Math.round(lastEnd),
      estimatedNotStarted: closed ? closed.notStarted : null,
      concurrencyCap: scenario.load.concurrency ?? null,
      maxDurationMs: scenario.load.maxDuration ?? null,
      warmupMs: scenario.load.warmup,
    },
    faults: {
      rules: scenario.faults.map((rule, i) => {
        const { kind, ...scope } = rule;
        return { rule: i, kind, scope };
      }),
      faultedInstances: instances.filter((i) => i.faulted).length,
      controls: count('control'),
      schedule: faultSchedule(prepared),
    },
  };
}

/**
 * Most sessions expected in flight at once, from recorded think times and reply latencies,
 * capped by `concurrency`; in the closed model, the most users active at once (or fewer
 * sessions). The dry-run's `peakConcurrency`, and what warm-up opens when the pool is unbounded.
 */
export function estimatedPeak(prepared: PreparedRun): number {
  const { plan, instances, scenario } = prepared;
  const mains = instances.filter((i) => i.variant === 'main').length;
  const peak = plan.model === 'closed' ? Math.min(peakOverlap(userWindows(plan)), mains) : peakOverlap(openIntervals(plan, durationOf(prepared)));
  return Math.min(peak, scenario.load.concurrency ?? Infinity);
}

function durationOf(prepared: PreparedRun): (recordedId: string) => number {
  return (recordedId) => estimatedDurationMs(prepared.sessions.get(recordedId) as Session, prepared.scenario.load);
}

function faultSchedule(prepared: PreparedRun): PlanSummary['faults']['schedule'] {
  const byKind: Record<string, number> = {};
  let faultedCalls = 0;
  const listed: PlanSummary['faults']['schedule']['instances'] = [];
  for (const inst of prepared.instances) {
    if (inst.variant === 'control' || !inst.faulted) continue;
    const session = prepared.sessions.get(inst.recordedId) as Session;
    const entries = describeFaultPlan(prepared.scenario.faults, { seed: prepared.scenario.seed, seedKey: inst.seedKey, session });
    faultedCalls += entries.length;
    for (const e of entries) for (const f of e.faults) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
    if (entries.length > 0 && listed.length < LISTED_INSTANCES) listed.push({ instance: inst.instance, faults: formatFaultPlan(entries) });
  }
  return { faultedCalls, byKind, instances: listed };
}

/** Estimated [start, end) of every open-model instance; shadows run right after the instance they shadow. */
function openIntervals(plan: LoadPlan, duration: (id: string) => number): Array<readonly [number, number]> {
  const ends = new Map<string, number>();
  const out: Array<readonly [number, number]> = [];
  for (const i of plan.instances) {
    if (!('at' in i.start)) continue;
    const end = i.start.at + duration(i.recordedId);
    ends.set(i.instance, end);
    out.push([i.start.at, end]);
  }
  // Shadows are listed after their mains, and a shadow's own shadows (none today) would follow it.
  for (const i of plan.instances) {
    if (!('after' in i.start)) continue;
    const start = ends.get(i.start.after);
    if (start === undefined) continue;
    const end = start + duration(i.recordedId);
    ends.set(i.instance, end);
    out.push([start, end]);
  }
  return out;
}

/** Largest number of [start, end) intervals open at once (sweep over sorted endpoints). */
function peakOverlap(intervals: ReadonlyArray<readonly [number, number]>): number {
  const points = intervals.flatMap(([s, e]) => [[s, 1] as const, [Math.max(e, s + 1e-9), -1] as const]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peak = 0;
  for (const [, d] of points) {
    open += d;
    peak = Math.max(peak, open);
  }
  return peak;
}

/** The closed model's user windows as [start, stop) intervals (`Infinity` kept finite for sorting). */
function userWindows(plan: LoadPlan): Array<readonly [number, number]> {
  return plan.userStarts.map((start, u) => [start, Math.min(plan.userStops[u] ?? Infinity, Number.MAX_VALUE)] as const);
}

/** Users active at t = 0 and at each stage's end (a user stopping right then still counts): the ramp as the executor follows it. */
function rampPoints(plan: LoadPlan, stages: ReadonlyArray<{ duration: number }>): Array<{ atMs: number; users: number }> {
  const windows = userWindows(plan);
  const times = [0];
  for (const s of stages) times.push((times.at(-1) as number) + s.duration);
  return times.map((atMs) => ({ atMs, users: windows.filter(([start, stop]) => start <= atMs && atMs <= stop).length }));
}

/**
 * Closed model estimate: each instance goes to the user free earliest among those not yet past
 * their stop time, as the executor's users would take them; instances no user can take are
 * counted as not started.
 */
function simulateUsers(plan: LoadPlan, duration: (id: string) => number): { endMs: number; notStarted: number } {
  const users = plan.userStarts.map((start, u) => ({ free: start, stop: plan.userStops[u] ?? Infinity }));
  let notStarted = 0;
  for (const inst of plan.instances) {
    if (!('user' in inst.start)) continue;
    let best: (typeof users)[number] | undefined;
    for (const user of users) if (user.free < user.stop && (best === undefined || user.free < best.free)) best = user;
    if (best) best.free += duration(inst.recordedId);
    else notStarted++;
  }
  return { endMs: Math.max(0, ...users.map((u) => u.free)), notStarted };
}
