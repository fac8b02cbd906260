import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { createAnonymizer, loadKey, pseudonymizeSessionId } from '../../anonymize/index.ts';
import { HarnessError } from '../../errors.ts';
import { IMPORTERS, importToArchive, type ImportFormat } from '../../import/index.ts';
import { collect, parseDeps } from '../../record/cli-options.ts';
import { parseValueSource } from '../../record/value-source.ts';
import type { CommandModule } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';

interface ImportFlags {
  out: string;
  sessionFrom?: string;
  inputFrom?: string;
  replyFrom?: string;
  dep: string[];
  keyFile?: string;
  raw?: boolean;
}

const EXAMPLES = `
Formats:
  har    HAR 1.2 (devtools, Playwright recordHar, proxies). Entries under a --dep base are
         exchanges of the turn whose time window holds them; other non-GET entries are turns.
  otlp   OTLP/JSON traces (one document or JSON lines) with OpenTelemetry GenAI spans: a session
         per gen_ai.conversation.id, a turn per trace, exchanges from chat / execute_tool /
         retrieval spans.

Examples:
  rehearse import har session.har --out recordings/har.tar.gz \\
    --session-from json:session_id --input-from json:/message --reply-from json:/reply \\
    --dep llm=https://api.openai.com --key-file ./anon.key
  rehearse import otlp traces.json --out recordings/otlp.tar.gz --key-file ./anon.key
  rehearse import otlp traces.jsonl --out recordings/raw.tar --raw   # then: rehearse anonymize
`;

const command: CommandModule = {
  name: 'import',
  register(program, io, done) {
    program
      .command('import <format> <file>')
      .description('Import a HAR or OTLP (GenAI spans) file as a recording, anonymized')
      .requiredOption('--out <archive>', 'recording to write')
      .option('--session-from <source>', 'HAR: where a request names its session (default: one session per file)')
      .option('--input-from <source>', "HAR: the user's words in the request")
      .option('--reply-from <source>', 'HAR: the reply text in the response')
      .option('--dep <name=url>', 'HAR: a dependency base URL; its entries become exchanges (repeatable)', collect, [])
      .option('--key-file <path>', 'anonymization HMAC key (else $REHEARSAL_ANON_KEY)')
      .option('--raw', 'write un-anonymized (policyId none) for a later `rehearse anonymize`')
      .addHelpText('after', EXAMPLES)
      .action(async (format: string, file: string, flags: ImportFlags) => {
        if (!(format in IMPORTERS)) {
          throw new HarnessError('USAGE', `unknown import format ${JSON.stringify(format)}`, { hint: `one of ${Object.keys(IMPORTERS).join(', ')}` });
        }
        const path = resolve(io.cwd, file);
        let text: string;
        try {
          text = await readFile(path, 'utf8');
        } catch (err) {
          throw new HarnessError('IO', `cannot read ${path}: ${(err as Error).message}`, { hint: 'check the path', cause: err });
        }
        const key = flags.raw ? undefined : await loadKey({ ...(flags.keyFile ? { keyFile: resolve(io.cwd, flags.keyFile) } : {}), env: io.env });
        const result = await importToArchive(format as ImportFormat, text, {
          out: resolve(io.cwd, flags.out),
          defaultSessionId: basename(file),
          deps: parseDeps(flags.dep),
          ...(flags.sessionFrom ? { sessionFrom: parseValueSource(flags.sessionFrom, '--session-from') } : {}),
          ...(flags.inputFrom ? { inputFrom: parseValueSource(flags.inputFrom, '--input-from') } : {}),
          ...(flags.replyFrom ? { replyFrom: parseValueSource(flags.replyFrom, '--reply-from') } : {}),
          ...(key ? { anonymizer: createAnonymizer({ key }), pseudonymizeId: (id: string) => pseudonymizeSessionId(key, id) } : {}),
        });
        const { counts } = result.manifest;
        for (const w of result.report.warnings) io.stderr.write(`rehearse import: ${w}\n`);
        io.stderr.write(
          `rehearse import: ${counts.sessions} sessions, ${counts.turns} turns, ${counts.exchanges} exchanges` +
            `${flags.raw ? ' (raw, not anonymized)' : ''}; ${result.dropped} dropped, ${result.report.unattributed} unattributed calls, ${result.report.skipped} entries skipped\n`,
        );
        io.stdout.write(`${resolve(io.cwd, flags.out)}\n`);
        done(ExitCode.OK);
      });
  },
};

export default command;
