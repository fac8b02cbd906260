import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runDetectors } from '../detect/index.ts';
import { HarnessError } from '../errors.ts';
import { groupJournal, readJournal, type InstanceData, type RunData } from '../journal/journal-reader.ts';
import { JournalWriter } from '../journal/journal-writer.ts';
import type { CallEvent, Finding, JournalEvent, Session, SessionVariant } from '../model/index.ts';
import { Scenario } from '../scenario/schema.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { AnswerOrder, callKey } from './answer-order.ts';
import { openEnvironment } from './environment.ts';
import { seedKeyOf, type PlannedInstance } from './instances.ts';
import { PreciseTimer } from './precise-timer.ts';
import { loadRecordings } from './recordings.ts';
import { newRunId, runTagOf, timeTag } from './run-dir.ts';
import { playInstance } from './session-player.ts';

/** Which instance to reproduce, and under which scenario. */
export interface ReproRequest {
  /** Scenario as the original run resolved it (or as given for a reported session). */
  scenario: Scenario;
  recorded: Session;
  clone: number;
  variant: SessionVariant;
  /** Where the repro's own run directory is created. */
  outDir: string;
  clock?: Clock;
}

export interface ReproResult {
  runDir: string;
  instance: string;
  data: InstanceData;
  findings: Finding[];
}

/**
 * Replays one session instance alone, exactly: the same seed and seed key (so the same
 * identities, fault schedule and dependency answers) under a fresh instance id, turn after
 * turn without think time (timing does not change any seeded choice). The repro gets its own
 * run directory and journal, and the detectors judge it like any run.
 */
export async function reproduce(request: ReproRequest): Promise<ReproResult> {
  const { recorded, clone, variant } = request;
  const replay = await replayMembers({ scenario: request.scenario, members: [{ recorded, clone, variant }], outDir: request.outDir, ...(request.clock ? { clock: request.clock } : {}) });
  const instance = replay.instances[0] as string;
  return { runDir: replay.runDir, instance, data: replay.run.instances.get(instance) as InstanceData, findings: replay.findings };
}

/** One session instance of a repro: a clone of a recorded session, as a run played it. */
export interface ReproMember {
  recorded: Session;
  clone: number;
  variant: SessionVariant;
  /** Earliest send time of each turn, ms after the repro's t = 0. Absent: turn 0 at once, then each turn right after the previous reply. */
  turnOffsets?: readonly number[];
  /**
   * Earliest answer time of each dependency call, ms after the repro's t = 0, keyed by
   * `callKey(turn, dependency, callIndex)`; calls not listed are answered when ready.
   */
  answerOffsets?: ReadonlyMap<string, number>;
}

export interface ReplayMembersRequest {
  scenario: Scenario;
  members: readonly ReproMember[];
  outDir: string;
  clock?: Clock;
}

/** A repro's run: its directory, the instance id given to each member (same order), the journal and the findings. */
export interface ReplayedMembers {
  runDir: string;
  instances: string[];
  run: RunData;
  findings: Finding[];
}

/**
 * Plays repro members together in a fresh environment and run directory, each under a fresh
 * instance id but its original seed key, then runs the detectors on the repro's journal.
 * Members are started in the order of their first send, so instances due at the same moment
 * are still sent in the original order.
 */
export async function replayMembers(request: ReplayMembersRequest): Promise<ReplayedMembers> {
  const clock = request.clock ?? systemClock;
  const scenario: Scenario = { ...request.scenario, load: { ...request.scenario.load, thinkTime: 'none' } };
  const runId = newRunId(`${scenario.name}-repro`, clock.wallNow());
  const planned = request.members.map((m) => reproInstance(runTagOf(runId), m, scenario));
  // A control or baseline replayed with its main stays in its shadow group, as in the run: the
  // detectors treat the group as one user (a leak between them is none).
  for (const p of planned) {
    if (p.variant === 'main') continue;
    const main = planned.find((q) => q.variant === 'main' && q.recordedId === p.recordedId && q.clone === p.clone);
    if (main) p.shadowOf = main.instance;
  }
  const first = planned[0];
  if (!first) throw new HarnessError('USAGE', 'a repro needs at least one session instance', { hint: 'name the instance to reproduce' });
  const runDir = join(request.outDir, `${first.instance}${planned.length > 1 ? `-with-${planned.length - 1}` : ''}-${timeTag(clock.wallNow())}`);
  await mkdir(runDir, { recursive: true });
  await writeFile(join(runDir, 'scenario.resolved.json'), JSON.stringify(scenario, null, 2) + '\n');
  const journalPath = join(runDir, 'journal.jsonl');
  const journal = await JournalWriter.open(journalPath);
  let open = true;
  const append = (e: JournalEvent) => {
    if (open) journal.append(e);
  };
  append({
    type: 'run-start',
    v: 1,
    runId,
    startedAt: new Date(clock.wallNow()).toISOString(),
    seed: scenario.seed,
    scenario: { name: scenario.name },
    recordings: [],
    plannedInstances: planned.length,
    config: scenario,
  });
  let origin = clock.now();
  const answers = planned.flatMap((p, i) => [...(request.members[i]?.answerOffsets ?? [])].map(([key, at]) => ({ instance: p.instance, key, at })));
  const order = new AnswerOrder(answers, clock, () => origin);
  const onCall = (call: CallEvent) => {
    if (call.instance !== null) order.given(call.instance, callKey(call.turn, call.dependency, call.callIndex));
    append({ ...call, t: clock.now() - origin });
  };
  const env = await openEnvironment({ scenario, runDir, clock, seed: scenario.seed, ...(answers.length > 0 ? { holdUntil: order.hold } : {}), onCall }).catch(async (err: unknown) => {
    open = false;
    await journal.close();
    throw err;
  });
  origin = clock.now();
  try {
    const timer = new PreciseTimer(clock);
    const ctx = { runId, target: env.target, deps: env.deps, append, timer, origin, load: scenario.load };
    const firstSend = (m: ReproMember) => m.turnOffsets?.[0] ?? 0;
    const order = request.members.map((m, i) => i).sort((a, b) => firstSend(request.members[a] as ReproMember) - firstSend(request.members[b] as ReproMember));
    const signal = new AbortController().signal;
    await Promise.all(
      order.map((i) => {
        const m = request.members[i] as ReproMember;
        return playInstance(ctx, planned[i] as PlannedInstance, m.recorded, origin + firstSend(m), signal, m.turnOffsets?.map((ms) => origin + ms));
      }),
    );
  } finally {
    await env.close();
    append({ type: 'run-end', t: clock.now() - origin, endedAt: new Date(clock.wallNow()).toISOString(), interrupted: false });
    open = false;
    await journal.close();
  }
  const run = groupJournal(await readJournal(journalPath), journalPath);
  const recorded = new Map(request.members.map((m) => [m.recorded.id, m.recorded]));
  const findings = runDetectors({ run, recorded, scenario, reproCommand: (i) => `rehearse repro ${runDir} ${i}` });
  if (findings.length > 0) {
    const writer = await JournalWriter.open(journalPath);
    for (const finding of findings) writer.append({ type: 'finding', finding });
    await writer.close();
  }
  return { runDir, instances: planned.map((p) => p.instance), run, findings };
}

/** The instance a member plays in a repro: its run's naming (variant suffix) under the repro's run tag, its original seed key. */
function reproInstance(runTag: string, member: ReproMember, scenario: Scenario): PlannedInstance {
  const suffix = member.variant === 'control' ? '-ctl' : member.variant === 'baseline' ? '-base' : '';
  return {
    instance: `${runTag}-${member.recorded.id}-c${member.clone}${suffix}`,
    seedKey: seedKeyOf(member.recorded.id, member.clone),
    recordedId: member.recorded.id,
    clone: member.clone,
    variant: member.variant,
    faulted: member.variant !== 'control' && scenario.faults.length > 0,
  };
}

/** The original run's scenario, journal and the instance to reproduce from it. */
export interface RunInstance {
  scenario: Scenario;
  run: RunData;
  data: InstanceData;
  recorded: Session;
}

/** A finished run as a repro needs it: the resolved scenario, the grouped journal, the recorded sessions it replayed. */
export interface LoadedRun {
  runDir: string;
  scenario: Scenario;
  run: RunData;
  sessions: readonly Session[];
}

/** Reads `<runDir>/scenario.resolved.json` and the journal, and finds the instance and its recorded session. */
export async function loadRunInstance(runDir: string, instance: string): Promise<RunInstance> {
  return instanceOf(await loadRun(runDir), instance);
}

/** Reads `<runDir>/scenario.resolved.json`, the journal, and the recordings the scenario names. */
export async function loadRun(runDir: string): Promise<LoadedRun> {
  const scenarioPath = join(runDir, 'scenario.resolved.json');
  const journalPath = join(runDir, 'journal.jsonl');
  if (!existsSync(scenarioPath) || !existsSync(journalPath)) {
    throw new HarnessError('USAGE', `${runDir} is not a run directory (no scenario.resolved.json or journal.jsonl)`, { hint: 'pass the directory `rehearse run` printed' });
  }
  const parsed = Scenario.safeParse(JSON.parse(await readFile(scenarioPath, 'utf8')));
  if (!parsed.success) throw new HarnessError('SCHEMA', `${scenarioPath} is not a valid resolved scenario`, { hint: 'reproduce with the rehearsal version that ran it' });
  const run = groupJournal(await readJournal(journalPath), journalPath);
  const { sessions } = await loadRecordings(parsed.data.recordings);
  return { runDir, scenario: parsed.data, run, sessions };
}

/** One instance of a loaded run with the recorded session it replayed; throws USAGE / ARCHIVE naming what is missing. */
export function instanceOf(loaded: LoadedRun, instance: string): RunInstance {
  const { run, scenario } = loaded;
  const data = run.instances.get(instance);
  if (!data) {
    const known = [...run.instances.keys()];
    throw new HarnessError('USAGE', `instance ${instance} is not in ${join(loaded.runDir, 'journal.jsonl')}`, {
      hint: `instances of this run: ${known.slice(0, 5).join(', ')}${known.length > 5 ? `, … (${known.length})` : ''}`,
    });
  }
  const recorded = loaded.sessions.find((s) => s.id === data.start.recordedSession);
  if (!recorded) {
    throw new HarnessError('ARCHIVE', `recorded session ${data.start.recordedSession} is no longer in ${scenario.recordings.join(', ')}`, { hint: 'the recordings changed since the run' });
  }
  return { scenario, run, data, recorded };
}
