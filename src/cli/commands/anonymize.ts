import { resolve } from 'node:path';
import { anonymizeSessions, pseudonymizeSessionId, withoutSessionKey } from '../../anonymize/index.ts';
import { createArchiveWriter, openArchive } from '../../archive/index.ts';
import { HarnessError } from '../../errors.ts';
import type { Session } from '../../model/index.ts';
import type { CommandModule } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { anonymizerFromFlags } from './redact.ts';

interface AnonymizeFlags {
  policy?: string;
  keyFile?: string;
}

const EXAMPLES = `
Reads a raw recording (policy \`none\`, as \`rehearse import --raw\` writes) and writes an
anonymized copy: PII replaced by consistent surrogates, secrets by tokens, credential headers
dropped, session ids pseudonymized with the key (so \`rehearse find --session\` still works).
A session that fails to anonymize is dropped and counted, never written raw.

Examples:
  rehearse anonymize recordings/raw.tar recordings/prod.tar.gz --key-file ./anon.key
  REHEARSAL_ANON_KEY=$(cat anon.key) rehearse anonymize raw.tar clean.tar.gz --policy policy.yaml
`;

const command: CommandModule = {
  name: 'anonymize',
  register(program, io, done) {
    program
      .command('anonymize <in> <out>')
      .description('Anonymize a raw recording (fail closed: a session that fails is dropped)')
      .option('--policy <file>', 'anonymization policy (YAML): extra rules, field rules, allow-list')
      .option('--key-file <file>', 'HMAC key file (hex or base64); else $REHEARSAL_ANON_KEY')
      .addHelpText('after', EXAMPLES)
      .action(async (input: string, output: string, flags: AnonymizeFlags) => {
        const reader = await openArchive(resolve(io.cwd, input));
        const { policyId } = reader.manifest.anonymization;
        if (policyId !== 'none') {
          throw new HarnessError('ANONYMIZE', `${input} is already anonymized (policy ${policyId})`, {
            hint: 'anonymize takes a raw recording (policy none), as `rehearse import --raw` writes; scan it with `rehearse scan`',
          });
        }
        const { anonymizer, key } = await anonymizerFromFlags(io, flags);
        const pseudonymizeId = (id: string) => pseudonymizeSessionId(key, id);
        const { sessions, stats } = anonymizeSessions(reader.sessions(), {
          anonymizeSession: (raw: Session) => withoutSessionKey(anonymizer.anonymizeSession(raw), raw.id, pseudonymizeId),
        });
        const writer = await createArchiveWriter(resolve(io.cwd, output), {
          generator: 'rehearse anonymize',
          // Read when the manifest is written at close, after every session went through.
          anonymization: {
            policyId: anonymizer.policyId,
            keyId: anonymizer.keyId,
            get droppedSessions() {
              return stats.dropped;
            },
          },
        });
        try {
          for await (const s of sessions) await writer.add(s);
        } catch (err) {
          await writer.abort();
          throw err;
        }
        const manifest = await writer.close();
        const { counts } = manifest;
        io.stderr.write(
          `rehearse anonymize: ${counts.sessions} sessions (${counts.turns} turns, ${counts.exchanges} exchanges) anonymized with policy ${anonymizer.policyId}, key ${anonymizer.keyId}; ${stats.dropped} dropped\n`,
        );
        for (const f of stats.failures) io.stderr.write(`  dropped session ${f.session}: ${f.error}\n`);
        io.stdout.write(`${resolve(io.cwd, output)}\n`);
        done(ExitCode.OK);
      });
  },
};

export default command;
