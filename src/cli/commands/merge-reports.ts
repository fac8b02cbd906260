import { Option } from 'commander';
import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HarnessError } from '../../errors.ts';
import { readJournal, groupJournal } from '../../journal/journal-reader.ts';
import { JournalWriter } from '../../journal/journal-writer.ts';
import { mergeShardRuns, mergeSummaries, renderReports, summarize, validateGates } from '../../report/index.ts';
import { JOURNAL_FILE } from '../../report/load-run.ts';
import { gatesOf } from '../../report/run-config.ts';
import { loadScenario } from '../../scenario/load.ts';
import { ReporterName } from '../../scenario/schema.ts';
import type { CommandModule } from '../command.ts';
import { usageError } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { finish } from './report.ts';

interface MergeFlags {
  out: string;
  gatesFrom?: string;
  gate?: string[];
  reporter?: ReporterName[];
  baseline?: string;
}

const command: CommandModule = {
  name: 'merge-reports',
  register(program, io, done) {
    program
      .command('merge-reports <dirs...>')
      .description('Merge shard run directories (--shard i/n) into one journal and one report; gates are evaluated across all shards')
      .requiredOption('-o, --out <dir>', 'directory for the merged journal and reports (must not hold a journal yet)')
      .option('--gates-from <scenario>', "take the gates from this scenario file instead of the shards' journals")
      .option('-g, --gate <expression...>', 'gates to evaluate (replace the journal / scenario gates)')
      .addOption(new Option('-r, --reporter <names...>', 'reporters to render (default: all)').choices(ReporterName.options))
      .option('-b, --baseline <run-dir>', 'compare the merged run with an earlier (merged or single) run')
      .addHelpText(
        'after',
        `
Latency percentiles come from the shards' HDR histograms added together: exact, not averaged.
Findings are unioned. Exit status is 1 when a gate fails or a shard of 1..n is missing.

Examples:
  rehearse merge-reports shards/1 shards/2 shards/3 --out runs/nightly
  rehearse merge-reports shards/* --out merged --gates-from scenarios/nightly.yaml`,
      )
      .action(async (dirs: string[], flags: MergeFlags) => {
        const outDir = resolve(io.cwd, flags.out);
        const journalPath = join(outDir, JOURNAL_FILE);
        if (await stat(journalPath).catch(() => undefined)) {
          throw usageError(`${journalPath} already exists`, 'merge into a new (or empty) --out directory');
        }
        const shards = await Promise.all(
          dirs.map(async (d) => {
            const dir = resolve(io.cwd, d);
            return { dir, events: await readJournal(join(dir, JOURNAL_FILE)) };
          }),
        );
        const merged = mergeShardRuns(shards);
        const gates = flags.gate ?? (flags.gatesFrom === undefined ? gatesOf(merged.run) : (await loadScenario(flags.gatesFrom, { cwd: io.cwd })).scenario.gates);
        const issues = validateGates(gates);
        if (issues.length > 0) {
          throw new HarnessError('CONFIG', `invalid gates:\n${issues.map((i) => `  ${i.message}`).join('\n')}`, { hint: 'fix the gate expressions' });
        }
        await mkdir(outDir, { recursive: true });
        const writer = await JournalWriter.open(journalPath);
        for (const ev of merged.events) writer.append(ev);
        await writer.close();
        // Summaries merge through their histograms; the merged journal stays the source of truth for sessions.
        const summary = mergeSummaries(shards.map((s) => summarize(groupJournal(s.events, s.dir))));
        const result = await renderReports(merged.run, {
          runDir: outDir,
          reporters: flags.reporter ?? [...ReporterName.options],
          gates,
          out: io.stdout,
          summary,
          shards: merged.shards,
          ...(flags.baseline === undefined ? {} : { baselineDir: resolve(io.cwd, flags.baseline) }),
        });
        io.stderr.write(`merged ${merged.shards.included.length} of ${merged.shards.count} shards into ${journalPath}\n`);
        let code = finish(result, io);
        if (merged.missing.length > 0) {
          io.stderr.write(`rehearse: shards ${merged.missing.join(', ')} of ${merged.shards.count} are missing; the merged report is partial\n`);
          code = ExitCode.FAILED;
        }
        done(code);
      });
  },
};

export default command;
