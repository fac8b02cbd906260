/**
 * The replayer: `runScenario` is what `rehearse run` calls; the rest is exported for `repro`,
 * library use and tests.
 */
export { runScenario, type RunOptions, type RunResult } from './run.ts';
export { summarizePlan, prepareRun, planFromSessions, type PlanSummary, type PreparedRun } from './prepare.ts';
export { expandInstances, seedKeyOf, type PlannedInstance } from './instances.ts';
export { planLoad, poissonArrivals, thinkTimeMs, type LoadPlan, type ScheduledInstance, type StartRule } from './plan.ts';
export { executePlan, type ExecutorOptions, type ExecutionResult } from './executor.ts';
export { PreciseTimer } from './precise-timer.ts';
export { selectSessions, shardOf, parseShard, type Shard } from './select.ts';
export { checkProductionGuard, isLoopbackHost } from './guard.ts';
export { reproduce, loadRunInstance, type ReproRequest, type ReproResult, type RunInstance } from './repro.ts';
export { formatTrace } from './trace.ts';
export { emitReproTest, type EmitReproTestOptions } from './emit-repro-test.ts';
