/**
 * CONTRACT STUB — the reports helper replaces these bodies; the replayer and CLI call them.
 * Keep the signatures (extend, don't break).
 */
import type { RunData } from '../journal/journal-reader.ts';
import type { ReporterName } from '../scenario/schema.ts';

export interface GateResult {
  /** The gate as written: `rate(context_loss) < 0.01`. */
  expression: string;
  /** The measured value; null when the metric had no data. */
  value: number | null;
  passed: boolean;
}

export interface ReportOptions {
  runDir: string;
  reporters: ReporterName[];
  gates: string[];
  /** Console output (the console reporter writes here). */
  out: NodeJS.WritableStream & { isTTY?: boolean };
  /** A previous run directory to compare with (new / fixed findings, latency changes). */
  baselineDir?: string;
}

export interface ReportResult {
  gates: GateResult[];
  /** Files written, by reporter. */
  files: Partial<Record<ReporterName, string>>;
  /** Reporters that failed (the run still finishes). */
  reporterErrors: Array<{ reporter: ReporterName; message: string }>;
}

/** Evaluates gates and renders every requested reporter for a finished run. */
export async function renderReports(_run: RunData, _options: ReportOptions): Promise<ReportResult> {
  return { gates: [], files: {}, reporterErrors: [] };
}
