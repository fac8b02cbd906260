import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runDetectors } from '../detect/index.ts';
import { readJournal, groupJournal } from '../journal/journal-reader.ts';
import { JournalWriter } from '../journal/journal-writer.ts';
import type { Finding, JournalEvent, RunStartEvent, Session, TurnEvent, WarmUpEvent } from '../model/index.ts';
import { describeWarmUp, renderReports, summarizeWarmUp, type GateResult } from '../report/index.ts';
import { loadScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/schema.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { openEnvironment } from './environment.ts';
import { executePlan } from './executor.ts';
import type { LoadPlan } from './plan.ts';
import { PreciseTimer } from './precise-timer.ts';
import { estimatedPeak, prepareRun, summarizePlan, type PlanSummary, type PreparedRun } from './prepare.ts';
import { createProgress } from './progress.ts';
import { prepareResume } from './resume.ts';
import { createRunDir, newRunId, runTagOf } from './run-dir.ts';
import type { Shard } from './select.ts';
import { playInstance } from './session-player.ts';
import { checkProductionGuard } from './guard.ts';
import { validateRunnable } from './validate.ts';
import { wantsWarmUp, warmUpTarget } from './warm-up.ts';

export interface RunOptions {
  scenarioPath: string;
  seed?: string;
  speed?: number;
  concurrency?: number;
  shard?: Shard;
  outDir?: string;
  dryRun?: boolean;
  resumeDir?: string;
  /** A previous run directory for reports to compare with. */
  baselineDir?: string;
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborting stops new sessions, drains in-flight ones and still writes reports. */
  signal?: AbortSignal;
  /** Time source; the system clock by default. */
  clock?: Clock;
}

export interface RunResult {
  runDir: string;
  runId: string;
  findings: Finding[];
  gates: GateResult[];
  interrupted: boolean;
  /** Set for `dryRun`: the plan that was printed; nothing ran. */
  plan?: PlanSummary;
}

/**
 * `rehearse run`: loads the scenario (or the run to resume), guards, plans, starts the virtual
 * dependencies and the target, plays the plan appending every event to
 * `<run-dir>/journal.jsonl` as it goes, then runs the detectors, appends their findings and
 * renders the reports. Gates decide the verdict; a SIGINT (`signal`) still writes everything.
 */
export async function runScenario(options: RunOptions): Promise<RunResult> {
  const clock = options.clock ?? systemClock;
  const resume = options.resumeDir === undefined ? undefined : await prepareResume(options.resumeDir);
  let scenario: Scenario;
  let scenarioPath: string | undefined;
  if (resume) {
    scenario = resume.scenario;
  } else {
    const overrides = { cwd: options.cwd, ...pick(options, ['seed', 'speed', 'concurrency', 'outDir'] as const) };
    const loaded = await loadScenario(options.scenarioPath, overrides);
    scenario = loaded.scenario;
    scenarioPath = loaded.path;
  }
  const shard = resume ? resume.start.shard : options.shard;
  validateRunnable(scenario, scenarioPath ?? options.resumeDir ?? scenario.name);
  checkProductionGuard(scenario);
  const runId = resume?.start.runId ?? newRunId(scenario.name, clock.wallNow());
  const prepared = await prepareRun(scenario, runTagOf(runId), shard);

  if (options.dryRun) {
    const plan = summarizePlan(prepared);
    options.out.write(JSON.stringify(plan, null, 2) + '\n');
    return { runDir: '', runId: '', findings: [], gates: [], interrupted: false, plan };
  }

  const runDir = options.resumeDir ?? (await createRunDir(scenario.outputs.dir, scenario.name, clock.wallNow(), shard, options.outDir !== undefined));
  if (!resume) await writeFile(join(runDir, 'scenario.resolved.json'), JSON.stringify(scenario, null, 2) + '\n');
  const journal = await JournalWriter.open(join(runDir, 'journal.jsonl'));
  let journalOpen = true;
  const append = (event: JournalEvent) => {
    if (journalOpen) journal.append(event);
  };
  if (!resume) append(runStartEvent(runId, clock, scenario, scenarioPath, shard, prepared));
  options.err.write(`rehearse: run ${runId} → ${runDir}${resume ? ` (resuming, ${resume.ended.size} instances already done)` : ''}\n`);

  // t = 0 is set once the target and dependencies are up: starting the staging app can take
  // seconds, and arrivals planned in that time would otherwise all be sent late and measured
  // from intended send times the app could never have met.
  // Warm-up (pre-opening the target's connections) happens in that time too, before t = 0.
  let origin = clock.now();
  let environment;
  try {
    environment = await openEnvironment({ scenario, runDir, clock, seed: scenario.seed, onCall: (call) => append({ ...call, t: clock.now() - origin }) });
    const warmUpStarted = clock.now();
    const warmUp = wantsWarmUp(scenario.load) ? await warmUpTarget(environment, scenario, estimatedPeak(prepared), clock, options.signal ?? new AbortController().signal) : undefined;
    origin = clock.now();
    if (warmUp) {
      const event: WarmUpEvent = { ...warmUp, t: warmUpStarted - origin };
      append(event);
      options.err.write(`rehearse: ${describeWarmUp(summarizeWarmUp(event))}\n`);
    }
  } catch (err) {
    if (environment) for (const problem of await environment.close()) options.err.write(`rehearse: ${problem}\n`);
    journalOpen = false;
    await journal.close();
    throw err;
  }
  const plan = resume ? remainingPlan(prepared.plan, resume.ended) : prepared.plan;
  const progress = createProgress(options.err, plan.instances.length, clock, scenario.load.warmup);
  const timer = new PreciseTimer(clock);
  const ctx = {
    runId,
    target: environment.target,
    deps: environment.deps,
    append,
    timer,
    origin,
    load: scenario.load,
    onTurn: (e: TurnEvent) => progress.turn(e),
  };
  const execution = await executePlan({
    plan,
    timer,
    origin,
    ...(scenario.load.concurrency === undefined ? {} : { concurrency: scenario.load.concurrency }),
    ...(scenario.load.maxDuration === undefined ? {} : { maxDurationMs: scenario.load.maxDuration }),
    ...(options.signal ? { stop: options.signal } : {}),
    play: async (inst, intended, signal) => {
      await playInstance(ctx, inst, prepared.sessions.get(inst.recordedId) as Session, intended, signal);
      progress.sessionEnded();
    },
  });
  progress.stop();
  for (const problem of await environment.close()) options.err.write(`rehearse: ${problem}\n`);
  append({ type: 'run-end', t: clock.now() - origin, endedAt: new Date(clock.wallNow()).toISOString(), interrupted: execution.interrupted });
  journalOpen = false;
  await journal.close();
  if (execution.interrupted) options.err.write(`rehearse: interrupted; ${execution.notStarted.length} planned instances did not start (continue with --resume ${runDir})\n`);
  else if (execution.notStarted.length > 0) options.err.write(`rehearse: ${execution.notStarted.length} planned instances did not start: the load stages ramped down first (see --dry-run)\n`);

  const { findings, gates } = await finishRun(runDir, scenario, prepared, options);
  return { runDir, runId, findings, gates, interrupted: execution.interrupted };
}

/** Detectors over the journal, findings appended to it, then the reports. */
async function finishRun(runDir: string, scenario: Scenario, prepared: PreparedRun, options: RunOptions): Promise<{ findings: Finding[]; gates: GateResult[] }> {
  const journalPath = join(runDir, 'journal.jsonl');
  const run = groupJournal(await readJournal(journalPath), journalPath);
  const findings = runDetectors({ run, recorded: prepared.sessions, scenario, reproCommand: (instance) => `rehearse repro ${runDir} ${instance}` });
  if (findings.length > 0) {
    const writer = await JournalWriter.open(journalPath);
    for (const finding of findings) writer.append({ type: 'finding', finding });
    await writer.close();
  }
  const report = await renderReports(
    { ...run, findings },
    { runDir, reporters: scenario.outputs.reporters, gates: scenario.gates, out: options.out, ...(options.baselineDir === undefined ? {} : { baselineDir: options.baselineDir }) },
  );
  for (const { reporter, message } of report.reporterErrors) options.err.write(`rehearse: reporter ${reporter} failed: ${message}\n`);
  return { findings, gates: report.gates };
}

function runStartEvent(runId: string, clock: Clock, scenario: Scenario, path: string | undefined, shard: Shard | undefined, prepared: PreparedRun): RunStartEvent {
  return {
    type: 'run-start',
    v: 1,
    runId,
    startedAt: new Date(clock.wallNow()).toISOString(),
    seed: scenario.seed,
    scenario: path === undefined ? { name: scenario.name } : { name: scenario.name, path },
    ...(shard ? { shard } : {}),
    recordings: prepared.recordings,
    plannedInstances: prepared.instances.length - prepared.plan.unscheduled.length,
    config: scenario,
  };
}

/** The plan minus instances that ended, open-model starts shifted so the first remaining one starts now. */
function remainingPlan(plan: LoadPlan, ended: ReadonlySet<string>): LoadPlan {
  const left = plan.instances.filter((i) => !ended.has(i.instance));
  const starts = left.flatMap((i) => ('at' in i.start ? [i.start.at] : []));
  const shift = starts.length ? Math.min(...starts) : 0;
  return { ...plan, instances: left.map((i) => ('at' in i.start ? { ...i, start: { at: i.start.at - shift } } : i)), unscheduled: plan.unscheduled.filter((id) => !ended.has(id)) };
}

function pick<T extends object, K extends keyof T>(obj: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}
