import { errorMessage } from '../errors.ts';
import type { RunData } from '../journal/journal-reader.ts';
import type { ReporterName } from '../scenario/schema.ts';
import type { Comparison, GateResult, ReportJson, RunSummary } from './report-schema.ts';

/** Everything a reporter may read once the run is over. Reporters never mutate it. */
export interface ReportContext {
  run: RunData;
  summary: RunSummary;
  gates: GateResult[];
  comparison: Comparison | undefined;
  /** The machine-readable report (what `report.json` holds). */
  report: ReportJson;
  runDir: string;
  out: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * A reporter. Reports are rendered from the journal after the run (live progress is the
 * replayer's job), so the one hook a real caller needs is `onRunEnd`; it returns the path of
 * the file it wrote, if any.
 */
export interface Reporter {
  onRunEnd(ctx: ReportContext): Promise<string | undefined> | string | undefined;
}

export type ReporterRegistry = Readonly<Record<ReporterName, Reporter>>;

export interface MultiplexResult {
  files: Partial<Record<ReporterName, string>>;
  reporterErrors: Array<{ reporter: ReporterName; message: string }>;
}

/**
 * Fans the run end out to the selected reporters, one after the other (console output must not
 * interleave). A reporter that throws is recorded in `reporterErrors` and the others still run:
 * a broken HTML template must not cost the CI job its JUnit file or its exit code.
 */
export async function runReporters(
  names: readonly ReporterName[],
  registry: ReporterRegistry,
  ctx: ReportContext,
): Promise<MultiplexResult> {
  const result: MultiplexResult = { files: {}, reporterErrors: [] };
  for (const name of new Set(names)) {
    try {
      const file = await registry[name].onRunEnd(ctx);
      if (file !== undefined) result.files[name] = file;
    } catch (err) {
      result.reporterErrors.push({ reporter: name, message: errorMessage(err) });
    }
  }
  return result;
}
