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
export {
  reproduce,
  replayMembers,
  loadRun,
  loadRunInstance,
  instanceOf,
  type ReproRequest,
  type ReproResult,
  type RunInstance,
  type LoadedRun,
  type ReproMember,
  type ReplayMembersRequest,
  type ReplayedMembers,
} from './repro.ts';
export { reproduceTogether, type TogetherRequest, type TogetherResult, type TogetherAttempt, type FindingMatch } from './repro-together.ts';
export { formatTrace } from './trace.ts';
export { formatTogetherTrace, formatTogetherVerdict } from './trace-together.ts';
export { emitReproTest, type EmitReproTestOptions } from './emit-repro-test.ts';
