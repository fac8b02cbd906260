import { resolve } from 'node:path';
import { verifyArchive } from '../../archive/verify.ts';
import type { CommandModule } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';

const command: CommandModule = {
  name: 'verify',
  register(program, io, done) {
    program
      .command('verify <archive>')
      .description('Check a recording: manifest, every entry (type, name, size, sha256, session schema) and completeness')
      .option('--json', 'print the report as JSON')
      .addHelpText(
        'after',
        `
Every problem found is listed, not just the first.

Examples:
  rehearse verify recordings/support.tar.gz
  rehearse verify recordings/support.tar.gz --json | jq .problems

Exit status: 0 sound, 1 problems found (listed), 3 not readable as an archive at all.`,
      )
      .action(async (archive: string, flags: { json?: boolean }) => {
        const report = await verifyArchive(resolve(io.cwd, archive));
        if (flags.json) {
          io.stdout.write(`${JSON.stringify({ ...report, archive, manifest: undefined, sessions: report.manifest?.counts.sessions ?? null }, null, 2)}\n`);
        } else if (report.ok) {
          io.stdout.write(`${archive}: sound — ${report.soundSessions} sessions, every checksum and schema checks out\n`);
        } else {
          const total = report.manifest ? ` of ${report.manifest.counts.sessions}` : '';
          io.stdout.write(`${archive}: ${report.problems.length} problem(s); ${report.soundSessions}${total} sessions sound\n`);
          for (const problem of report.problems) {
            io.stdout.write(`  ✗ [${problem.code}] ${problem.message}\n`);
            if (problem.hint) io.stdout.write(`    hint: ${problem.hint}\n`);
          }
        }
        done(report.ok ? ExitCode.OK : ExitCode.FAILED);
      });
  },
};

export default command;
