import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { createAnonymizer, loadKey, loadPolicy, type Anonymizer } from '../../anonymize/index.ts';
import { HarnessError } from '../../errors.ts';
import type { CliIo, CommandModule } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';

interface RedactFlags {
  policy?: string;
  jsonl?: boolean;
  keyFile?: string;
  ephemeralKey?: boolean;
}

const EXAMPLES = `
Reads stdin and writes it to stdout line for line, with PII replaced by consistent surrogates
and secrets by [secret:<kind>:<tag>] tokens. With --jsonl each line is a JSON object whose
\`text\` field is redacted (other fields are copied as they are); a line that is not such an
object stops the command (exit 3) rather than being echoed.

Examples:
  rehearse redact --key-file ./anon.key < bug-report.txt > bug-report.clean.txt
  pbpaste | rehearse redact --ephemeral-key
  rehearse redact --jsonl --policy policy.yaml < transcript.jsonl > transcript.clean.jsonl
`;

/** Builds the anonymizer the `redact` and `anonymize` commands share: key and optional policy from flags. */
export async function anonymizerFromFlags(
  io: CliIo,
  flags: { policy?: string; keyFile?: string; ephemeralKey?: boolean },
): Promise<{ anonymizer: Anonymizer; key: Buffer }> {
  const policy = flags.policy === undefined ? undefined : await loadPolicy(resolve(io.cwd, flags.policy));
  const key = await loadKey({
    ...(flags.keyFile === undefined ? {} : { keyFile: resolve(io.cwd, flags.keyFile) }),
    env: io.env,
    ...(flags.ephemeralKey ? { ephemeral: true } : {}),
  });
  return { anonymizer: createAnonymizer({ key, ...(policy ? { policy } : {}) }), key };
}

const command: CommandModule = {
  name: 'redact',
  register(program, io, done) {
    program
      .command('redact')
      .description('Anonymize text from stdin, line for line (handy for cleaning a bug report)')
      .option('--policy <file>', 'anonymization policy (YAML): extra rules, field rules, allow-list')
      .option('--jsonl', 'each line is JSON: redact its `text` field')
      .option('--key-file <file>', 'HMAC key file (hex or base64); else $REHEARSAL_ANON_KEY')
      .option('--ephemeral-key', 'use a random throwaway key (surrogates differ on every run)')
      .addHelpText('after', EXAMPLES)
      .action(async (flags: RedactFlags) => {
        if (flags.keyFile !== undefined && flags.ephemeralKey) {
          throw new HarnessError('USAGE', 'give either --key-file or --ephemeral-key, not both', { hint: 'see rehearse redact --help' });
        }
        const { anonymizer } = await anonymizerFromFlags(io, flags);
        let lineNo = 0;
        for await (const line of createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
          lineNo++;
          io.stdout.write(`${flags.jsonl ? redactJsonLine(anonymizer, line, lineNo) : anonymizer.redactText(line)}\n`);
        }
        done(ExitCode.OK);
      });
  },
};

function redactJsonLine(anonymizer: Anonymizer, line: string, lineNo: number): string {
  if (line.trim() === '') return line;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    // Never echo a line we could not read: it may hold exactly what we are asked to hide.
    throw new HarnessError('ANONYMIZE', `stdin line ${lineNo} is not JSON`, { hint: 'drop --jsonl to redact plain text lines' });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || typeof (value as { text?: unknown }).text !== 'string') {
    throw new HarnessError('ANONYMIZE', `stdin line ${lineNo} has no string field "text"`, { hint: 'with --jsonl every line must be an object with a "text" string' });
  }
  const record = value as { text: string };
  return JSON.stringify({ ...record, text: anonymizer.redactText(record.text) });
}

export default command;
