import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runDetectors } from '../detect/index.ts';
import { HarnessError } from '../errors.ts';
import { groupJournal, readJournal, type InstanceData, type RunData } from '../journal/journal-reader.ts';
import { JournalWriter } from '../journal/journal-writer.ts';
import type { Finding, JournalEvent, Session, SessionVariant } from '../model/index.ts';
import { Scenario } from '../scenario/schema.ts';
import { systemClock, type Clock } from '../util/clock.ts';
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
  const clock = request.clock ?? systemClock;
  const scenario: Scenario = { ...request.scenario, load: { ...request.scenario.load, thinkTime: 'none' } };
  const runId = newRunId(`${scenario.name}-repro`, clock.wallNow());
  const suffix = request.variant === 'control' ? '-ctl' : request.variant === 'baseline' ? '-base' : '';
  const inst: PlannedInstance = {
    instance: `${runTagOf(runId)}-${request.recorded.id}-c${request.clone}${suffix}`,
    seedKey: seedKeyOf(request.recorded.id, request.clone),
    recordedId: request.recorded.id,
    clone: request.clone,
    variant: request.variant,
    faulted: request.variant !== 'control' && scenario.faults.length > 0,
  };
  const runDir = join(request.outDir, `${inst.instance}-${timeTag(clock.wallNow())}`);
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
    plannedInstances: 1,
    config: scenario,
  });
  const origin = clock.now();
  const env = await openEnvironment({ scenario, runDir, clock, seed: scenario.seed, onCall: (call) => append({ ...call, t: clock.now() - origin }) }).catch(async (err: unknown) => {
    open = false;
    await journal.close();
    throw err;
  });
  try {
    const timer = new PreciseTimer(clock);
    await playInstance({ runId, target: env.target, deps: env.deps, append, timer, origin, load: scenario.load }, inst, request.recorded, origin, new AbortController().signal);
  } finally {
    await env.close();
    append({ type: 'run-end', t: clock.now() - origin, endedAt: new Date(clock.wallNow()).toISOString(), interrupted: false });
    open = false;
    await journal.close();
  }
  const run = groupJournal(await readJournal(journalPath), journalPath);
  const findings = runDetectors({ run, recorded: new Map([[request.recorded.id, request.recorded]]), scenario, reproCommand: (i) => `rehearse repro ${runDir} ${i}` });
  if (findings.length > 0) {
    const writer = await JournalWriter.open(journalPath);
    for (const finding of findings) writer.append({ type: 'finding', finding });
    await writer.close();
  }
  return { runDir, instance: inst.instance, data: run.instances.get(inst.instance) as InstanceData, findings };
}

/** The original run's scenario, journal and the instance to reproduce from it. */
export interface RunInstance {
  scenario: Scenario;
  run: RunData;
  data: InstanceData;
  recorded: Session;
}

/** Reads `<runDir>/scenario.resolved.json` and the journal, and finds the instance and its recorded session. */
export async function loadRunInstance(runDir: string, instance: string): Promise<RunInstance> {
  const scenarioPath = join(runDir, 'scenario.resolved.json');
  const journalPath = join(runDir, 'journal.jsonl');
  if (!existsSync(scenarioPath) || !existsSync(journalPath)) {
    throw new HarnessError('USAGE', `${runDir} is not a run directory (no scenario.resolved.json or journal.jsonl)`, { hint: 'pass the directory `rehearse run` printed' });
  }
  const parsed = Scenario.safeParse(JSON.parse(await readFile(scenarioPath, 'utf8')));
  if (!parsed.success) throw new HarnessError('SCHEMA', `${scenarioPath} is not a valid resolved scenario`, { hint: 'reproduce with the rehearsal version that ran it' });
  const run = groupJournal(await readJournal(journalPath), journalPath);
  const data = run.instances.get(instance);
  if (!data) {
    const known = [...run.instances.keys()];
    throw new HarnessError('USAGE', `instance ${instance} is not in ${journalPath}`, { hint: `instances of this run: ${known.slice(0, 5).join(', ')}${known.length > 5 ? `, … (${known.length})` : ''}` });
  }
  const { sessions } = await loadRecordings(parsed.data.recordings);
  const recorded = sessions.find((s) => s.id === data.start.recordedSession);
  if (!recorded) {
    throw new HarnessError('ARCHIVE', `recorded session ${data.start.recordedSession} is no longer in ${parsed.data.recordings.join(', ')}`, { hint: 'the recordings changed since the run' });
  }
  return { scenario: parsed.data, run, data, recorded };
}
