import { resolve } from 'node:path';
import { builtinPolicy, loadPolicy, scanSession, type ScanHit } from '../../anonymize/index.ts';
import { openArchive } from '../../archive/index.ts';
import type { CommandModule } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';

interface ScanFlags {
  json?: boolean;
  policy?: string;
}

const EXAMPLES = `
Runs every PII and secret detector over every string of every session (JSON inside strings
included) and reports what is not a surrogate: type, session, turn and location — never the
value. Exit status 1 when anything is found, 0 when the recording is clean.

Examples:
  rehearse scan recordings/prod.tar.gz
  rehearse scan recordings/prod.tar.gz --json > residue.json
  rehearse scan recordings/prod.tar.gz --policy policy.yaml   # its allow-list and extra rules apply
`;

const command: CommandModule = {
  name: 'scan',
  register(program, io, done) {
    program
      .command('scan <archive>')
      .description('Audit a recording for residual PII and secrets (reports where, never the value)')
      .option('--json', 'print the report as JSON')
      .option('--policy <file>', 'anonymization policy whose allow-list and extra rules apply')
      .addHelpText('after', EXAMPLES)
      .action(async (archive: string, flags: ScanFlags) => {
        const policy = flags.policy === undefined ? builtinPolicy() : await loadPolicy(resolve(io.cwd, flags.policy));
        const reader = await openArchive(resolve(io.cwd, archive));
        const hits: ScanHit[] = [];
        let sessions = 0;
        for await (const session of reader.sessions()) {
          sessions++;
          hits.push(...scanSession(session, policy));
        }
        const byType: Record<string, number> = {};
        for (const h of hits) byType[h.type] = (byType[h.type] ?? 0) + 1;
        const policyId = reader.manifest.anonymization.policyId;
        if (flags.json) {
          io.stdout.write(`${JSON.stringify({ archive, policyId, sessions, residue: hits.length, byType, hits }, null, 2)}\n`);
        } else {
          for (const h of hits) io.stdout.write(`${h.type}\t${h.session}\t${h.turn ?? '-'}\t${h.location}\n`);
          const summary = Object.entries(byType)
            .sort((a, b) => b[1] - a[1])
            .map(([t, n]) => `${n} ${t}`)
            .join(', ');
          io.stderr.write(
            hits.length === 0
              ? `rehearse scan: ${sessions} sessions, no residual PII or secrets\n`
              : `rehearse scan: ${hits.length} residual values in ${new Set(hits.map((h) => h.session)).size} of ${sessions} sessions: ${summary}${policyId === 'none' ? ' (this recording is raw: policy none)' : ''}\n`,
          );
        }
        done(hits.length === 0 ? ExitCode.OK : ExitCode.FAILED);
      });
  },
};

export default command;
