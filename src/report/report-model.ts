import type { RunData } from '../journal/journal-reader.ts';
import type { Finding } from '../model/index.ts';
import { REPORT_VERSION, type Comparison, type GateResult, type ReportJson, type RunSummary, type SessionRow } from './report-schema.ts';
import { segmentOf } from './segments.ts';
import { instanceStatus } from './summary.ts';

const SEVERITY_RANK: Record<Finding['severity'], number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** Worst first: severity, then instance, then turn — the order humans should read them in. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.sessionInstance.localeCompare(b.sessionInstance) ||
      (a.turn ?? -1) - (b.turn ?? -1) ||
      a.id.localeCompare(b.id),
  );
}

/** Quotes one shell word when it needs it (POSIX single quotes). */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The repro command of an instance: its findings' command when it has one, else the generic form. */
export function reproFor(runDir: string, instance: string, findings: readonly Finding[]): string {
  return findings.find((f) => f.sessionInstance === instance)?.repro ?? `rehearse repro ${shellQuote(runDir)} ${shellQuote(instance)}`;
}

/** Findings unioned by id (shards and re-renders may carry the same finding twice). */
export function uniqueFindings(findings: readonly Finding[]): Finding[] {
  return [...new Map(findings.map((f) => [f.id, f])).values()];
}

export interface ReportInput {
  run: RunData;
  summary: RunSummary;
  gates: GateResult[];
  comparison: Comparison | undefined;
  runDir: string;
  shards?: ReportJson['run']['shards'];
}

/** Assembles `report.json` from a run, its summary and its gate results. */
export function buildReport(input: ReportInput): ReportJson {
  const { run, runDir } = input;
  const findings = sortFindings(uniqueFindings(run.findings));
  const sessions: SessionRow[] = [...run.instances.entries()].map(([instance, data]) => ({
    instance,
    recordedSession: data.start.recordedSession,
    variant: data.start.variant,
    segment: segmentOf(data),
    status: instanceStatus(data),
    turns: data.turns.length,
    findings: findings.filter((f) => f.sessionInstance === instance).map((f) => f.id),
    repro: reproFor(runDir, instance, findings),
  }));
  return {
    version: REPORT_VERSION,
    run: {
      id: run.start.runId,
      scenario: run.start.scenario.name,
      seed: run.start.seed,
      startedAt: run.start.startedAt,
      endedAt: run.end?.endedAt ?? null,
      interrupted: run.end?.interrupted ?? true,
      ...(input.shards ? { shards: input.shards } : run.start.shard ? { shards: { count: run.start.shard.count, included: [run.start.shard.index] } } : {}),
    },
    passed: input.gates.every((g) => g.passed),
    gates: input.gates,
    summary: input.summary,
    findings,
    sessions,
    ...(input.comparison ? { comparison: input.comparison } : {}),
  };
}
