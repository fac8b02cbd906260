/**
 * Reports of a finished run: summary (`summarize`), gates (`evaluateGates`), comparison with a
 * baseline, and the reporters (console, report.json, junit.xml, summary.md, report.html) behind
 * a fan-out that isolates failures. Everything is derived from the run journal, so any report
 * can be re-rendered later (`rehearse report`) or from merged shards (`rehearse merge-reports`).
 */
import { mkdir } from 'node:fs/promises';
import type { RunData } from '../journal/journal-reader.ts';
import type { ReporterName } from '../scenario/schema.ts';
import { builtinReporters } from './builtin-reporters.ts';
import { compareRuns } from './compare.ts';
import { evaluateGates } from './gates.ts';
import { loadRunDir } from './load-run.ts';
import { buildReport, uniqueFindings } from './report-model.ts';
import type { Comparison, GateResult, ReportJson, RunSummary } from './report-schema.ts';
import { runReporters, type ReporterRegistry } from './reporter.ts';
import { summarize } from './summary.ts';

export type { GateResult, RunSummary, ReportJson, Comparison, LatencyStats } from './report-schema.ts';
export { ReportJson as ReportJsonSchema, reportJsonSchema } from './report-schema.ts';
export { summarize } from './summary.ts';
export { mergeSummaries } from './merge-summaries.ts';
export { describeWarmUp, summarizeWarmUp } from './warm-up.ts';
export { evaluateGates, parseGate, validateGates, type Gate, type GateIssue } from './gates.ts';
export { compareRuns } from './compare.ts';
export { loadRunDir } from './load-run.ts';
export { mergeShardRuns, type ShardRun, type MergedRun } from './merge-shards.ts';
export { builtinReporters } from './builtin-reporters.ts';
export type { Reporter, ReporterRegistry, ReportContext } from './reporter.ts';

export interface ReportOptions {
  runDir: string;
  reporters: ReporterName[];
  gates: string[];
  /** Console output (the console reporter writes here). */
  out: NodeJS.WritableStream & { isTTY?: boolean };
  /** A previous run directory to compare with (new / fixed findings, latency changes). */
  baselineDir?: string;
  /** A precomputed summary — `merge-reports` passes the merge of the shards' summaries. */
  summary?: RunSummary;
  /** Shards the report covers, for merged reports. */
  shards?: ReportJson['run']['shards'];
}

export interface ReportResult {
  gates: GateResult[];
  /** Files written, by reporter. */
  files: Partial<Record<ReporterName, string>>;
  /** Reporters that failed (the run still finishes). */
  reporterErrors: Array<{ reporter: ReporterName; message: string }>;
  summary: RunSummary;
  comparison?: Comparison;
  /** True when every gate passed (or none was declared). */
  passed: boolean;
}

/**
 * Evaluates gates and renders every requested reporter for a finished run. Invalid gates throw
 * a CONFIG HarnessError before anything is written; an unreadable baseline throws too (the
 * caller asked for a comparison); a failing reporter only lands in `reporterErrors`.
 */
export async function renderReports(run: RunData, options: ReportOptions, registry: ReporterRegistry = builtinReporters): Promise<ReportResult> {
  const summary = options.summary ?? summarize(run);
  const gates = evaluateGates(options.gates, summary);
  let comparison: Comparison | undefined;
  if (options.baselineDir !== undefined) {
    const baseline = await loadRunDir(options.baselineDir);
    comparison = compareRuns(
      { runId: run.start.runId, summary, findings: uniqueFindings(run.findings) },
      { runId: baseline.start.runId, summary: summarize(baseline), findings: uniqueFindings(baseline.findings) },
    );
  }
  await mkdir(options.runDir, { recursive: true });
  const report = buildReport({ run, summary, gates, comparison, runDir: options.runDir, ...(options.shards ? { shards: options.shards } : {}) });
  const { files, reporterErrors } = await runReporters(options.reporters, registry, { run, summary, gates, comparison, report, runDir: options.runDir, out: options.out });
  return { gates, files, reporterErrors, summary, ...(comparison ? { comparison } : {}), passed: report.passed };
}
