/**
 * rehearsal as a library: the same building blocks the `rehearse` CLI uses. The in-process
 * recorder is its own entry point (`rehearsal/record`) so production apps import only that.
 */
export * from './model/index.ts';
export { HarnessError, isHarnessError, type ErrorCode } from './errors.ts';
export { openArchive, writeArchive, createArchiveWriter, type ArchiveReader, type ArchiveWriter, type ArchiveWriteOptions } from './archive/index.ts';
export { createAnonymizer, loadKey, loadPolicy, createRekeyer, scanSession, anonymizeSessions, pseudonymizeSessionId, type Anonymizer } from './anonymize/index.ts';
export { loadScenario } from './scenario/load.ts';
export { Scenario as ScenarioSchema, type Scenario, type ScenarioInput, type FaultRule, type Target } from './scenario/schema.ts';
export { runScenario, reproduce, type RunOptions, type RunResult } from './replay/index.ts';
export { startVirtualDeps, type VirtualDeps, type VirtualDepsOptions } from './deps/index.ts';
export { runDetectors, failureRatesBySegment, type DetectionInput } from './detect/index.ts';
export { renderReports, type ReportOptions, type ReportResult } from './report/index.ts';
export { readJournal, groupJournal, type RunData, type InstanceData } from './journal/journal-reader.ts';
export { emitVitestTest, type EmitTestOptions, type ReproAppFactory } from './repro/emit-test.ts';
export { mswReplay, type MswReplay, type MswReplayOptions } from './repro/msw-replay.ts';
