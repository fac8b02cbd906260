import { resolve } from 'node:path';
import { createAnonymizer, loadKey, pseudonymizeSessionId } from '../../anonymize/index.ts';
import { openArchive } from '../../archive/index.ts';
import { HarnessError } from '../../errors.ts';
import { findSessions, type FindCriteria, type FoundSession } from '../../repro/find-sessions.ts';
import { parseDurationOption } from '../../util/duration.ts';
import { usageError, type CommandModule } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';

interface FindFlags {
  session?: string;
  keyFile?: string;
  around?: string;
  window: string;
  segment: string[];
  scenario?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

const command: CommandModule = {
  name: 'find',
  register(program, io, done) {
    program
      .command('find <recording>')
      .description('Find recorded sessions: by the production session id support hands over, or around a time')
      .option('--session <production-id>', 'the production session id; mapped to its recorded pseudonym with the anonymization key')
      .option('--key-file <file>', 'anonymization key file (default: $REHEARSAL_ANON_KEY)')
      .option('--around <iso-time>', 'sessions that started near this time, e.g. 2026-01-07T14:03:00Z')
      .option('--window <duration>', 'with --around: how far either side', '30m')
      .option('--segment <key=value>', 'with --around: only sessions with this segment tag (repeatable)', collect, [])
      .option('--scenario <file>', 'scenario to put in the printed repro commands')
      .option('--json', 'print the matches as JSON')
      .addHelpText(
        'after',
        `
Examples:
  rehearse find recordings/prod.tar.gz --session 7f3c9e-support-4411 --key-file ~/.rehearsal/key
  rehearse find recordings/prod.tar.gz --around 2026-01-07T14:03:00Z --window 10m --segment language=es
Each match is printed with its id, start time, segment, turn count and a repro command.
Exit status: 0 at least one match, 1 none.`,
      )
      .action(async (recording: string, flags: FindFlags) => {
        const path = resolve(io.cwd, recording);
        const archive = await openArchive(path);
        const criteria = await criteriaFrom(flags, archive.manifest.anonymization, io.env, io.cwd);
        const found = await findSessions(archive.sessions(), criteria);
        const repro = (id: string) => `rehearse repro --recording ${recording} --session ${id} --scenario ${flags.scenario ?? '<scenario.yaml>'}`;
        if (flags.json) io.stdout.write(`${JSON.stringify(found.map((f) => ({ ...f, repro: repro(f.id) })), null, 2)}\n`);
        else for (const f of found) io.stdout.write(formatRow(f, repro(f.id)));
        if (found.length === 0) io.stderr.write(`rehearse: no recorded session in ${recording} matches${criteria.kind === 'id' ? ` session ${flags.session}` : ` ${flags.around} ± ${flags.window}`}\n`);
        done(found.length > 0 ? ExitCode.OK : ExitCode.FAILED);
      });
  },
};

async function criteriaFrom(flags: FindFlags, anonymization: { policyId: string; keyId?: string | undefined }, env: NodeJS.ProcessEnv, cwd: string): Promise<FindCriteria> {
  if ((flags.session === undefined) === (flags.around === undefined)) throw usageError('give exactly one of --session <production-id> or --around <iso-time>', 'see rehearse find --help');
  if (flags.session !== undefined) {
    // A raw recording (importers write policy `none`) still holds production ids.
    if (anonymization.policyId === 'none') return { kind: 'id', recordedId: flags.session };
    const key = await loadKey({ ...(flags.keyFile ? { keyFile: resolve(cwd, flags.keyFile) } : {}), env });
    const keyId = createAnonymizer({ key }).keyId;
    if (anonymization.keyId !== undefined && anonymization.keyId !== keyId) {
      throw new HarnessError('ANONYMIZE', `the key given (id ${keyId}) is not the key this recording was anonymized with (id ${anonymization.keyId})`, {
        hint: 'use the anonymization key of the recording environment (--key-file or $REHEARSAL_ANON_KEY)',
      });
    }
    return { kind: 'id', recordedId: pseudonymizeSessionId(key, flags.session) };
  }
  const around = new Date(flags.around ?? '');
  if (Number.isNaN(around.getTime())) throw usageError(`--around ${JSON.stringify(flags.around)} is not an ISO-8601 time`, 'e.g. --around 2026-01-07T14:03:00Z');
  const windowMs = parseDurationOption(flags.window, '--window');
  const segment: Record<string, string> = {};
  for (const pair of flags.segment) {
    const at = pair.indexOf('=');
    if (at <= 0) throw usageError(`--segment ${JSON.stringify(pair)} is not key=value`, 'e.g. --segment language=es');
    segment[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return { kind: 'time', around, windowMs, segment };
}

function formatRow(f: FoundSession, repro: string): string {
  const segment = Object.entries(f.segment).map(([k, v]) => `${k}=${v}`).join(' ') || '-';
  const offset = f.offsetMs === undefined ? '' : ` (${f.offsetMs >= 0 ? '+' : '-'}${Math.round(Math.abs(f.offsetMs) / 1000)}s)`;
  return `${f.id}  ${f.startedAt}${offset}  ${segment}  ${f.turns} turn${f.turns === 1 ? '' : 's'}\n  ${repro}\n`;
}

export default command;
