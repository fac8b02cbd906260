import { Option } from 'commander';
import { resolve } from 'node:path';
import { gatesOf } from '../../report/run-config.ts';
import { loadRunDir, renderReports, type ReportResult } from '../../report/index.ts';
import { ReporterName } from '../../scenario/schema.ts';
import type { CliIo, CommandModule } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';

interface ReportFlags {
  reporter?: ReporterName[];
  baseline?: string;
  gate?: string[];
  out?: string;
}

const command: CommandModule = {
  name: 'report',
  register(program, io, done) {
    program
      .command('report <run-dir>')
      .description("Re-render reports from a run's journal (gates, console, report.json, junit.xml, summary.md, report.html)")
      .addOption(new Option('-r, --reporter <names...>', 'reporters to render (default: all)').choices(ReporterName.options))
      .option('-b, --baseline <run-dir>', 'compare with an earlier run: new and fixed findings, latency and failure-rate changes per segment')
      .option('-g, --gate <expression...>', "gates to evaluate instead of the scenario's, e.g. 'p95(turn_ms) < 4000'")
      .option('-o, --out <dir>', 'write the report files here instead of into <run-dir>')
      .addHelpText(
        'after',
        `
Examples:
  rehearse report runs/nightly-2026-01-07
  rehearse report runs/nightly-2026-01-07 --reporter html markdown
  rehearse report runs/nightly-2026-01-07 --baseline runs/nightly-2026-01-06
  rehearse report runs/load --gate 'p99(turn_ms) < 8s' --gate 'leakage == 0'

Exit status is 1 when a gate fails.`,
      )
      .action(async (runDir: string, flags: ReportFlags) => {
        const dir = resolve(io.cwd, runDir);
        const run = await loadRunDir(dir);
        const result = await renderReports(run, {
          runDir: flags.out === undefined ? dir : resolve(io.cwd, flags.out),
          reporters: flags.reporter ?? [...ReporterName.options],
          gates: flags.gate ?? gatesOf(run),
          out: io.stdout,
          ...(flags.baseline === undefined ? {} : { baselineDir: resolve(io.cwd, flags.baseline) }),
        });
        done(finish(result, io));
      });
  },
};

/** Prints what reporters wrote and which failed; the exit status follows the gates. */
export function finish(result: ReportResult, io: CliIo): ExitCode {
  for (const [name, file] of Object.entries(result.files)) io.stderr.write(`${name}: ${file}\n`);
  for (const e of result.reporterErrors) io.stderr.write(`rehearse: reporter ${e.reporter} failed: ${e.message}\n`);
  return result.passed ? ExitCode.OK : ExitCode.FAILED;
}

export default command;
