import { resolve } from 'node:path';
import { createAnonymizer, loadKey, pseudonymizeSessionId } from '../../anonymize/index.ts';
import { parseSegmentCap } from '../../record/admission.ts';
import { collect, parseDeps, parseKinds, parseListen, parseRate, parseSegments } from '../../record/cli-options.ts';
import { startProxyRecorder } from '../../record/proxy/proxy-recorder.ts';
import { formatStats } from '../../record/recorder-stats.ts';
import { parseRotate } from '../../record/rotation.ts';
import { parseStructuredSource } from '../../record/structured-source.ts';
import { parseValueSource } from '../../record/value-source.ts';
import { parseDurationOption } from '../../util/duration.ts';
import type { CommandModule } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';

interface RecordOptions {
  listen: string;
  upstream: string;
  dep: string[];
  sessionFrom: string;
  inputFrom?: string;
  replyFrom?: string;
  structuredFrom?: string;
  segment: string[];
  correlationHeader?: string;
  keyFile?: string;
  ephemeralKey?: boolean;
  out: string;
  kind: string[];
  sample: string;
  segmentCap: string[];
  idleTimeout: string;
  rotate?: string;
  maxQueue: string;
  stats?: boolean;
  statsInterval: string;
}

const EXAMPLES = `
Examples:
  # Point the app's dependency base URLs at the proxy: LLM_BASE_URL=http://127.0.0.1:8080/_deps/llm …
  rehearse record --listen 127.0.0.1:8080 --upstream http://127.0.0.1:3000 \\
    --dep llm=https://llm.internal --dep tools=http://tools.internal --dep retrieval=http://search.internal \\
    --session-from header:x-session-id --input-from json:/message --reply-from json:/reply --structured-from json:/triage \\
    --key-file ./anon.key --out recordings/prod.tar.gz --sample 0.25 --rotate 1h --stats

  # Session id in the path, segment tag from a header, capped so the long tail is kept
  rehearse record --listen :8080 --upstream http://app:3000 --dep llm=https://api.openai.com \\
    --session-from path:/conversations/:id/messages --segment channel=header:x-channel \\
    --segment-cap channel=web:500 --key-file ./anon.key --out recordings/prod.tar.gz

Requests to /<path> go to the app; each one naming a session is a turn. Requests to
/_deps/<name>/<path> go to that dependency and are recorded as the turn's exchanges, tied to
it by propagated x-rehearsal-session/-turn, baggage or traceparent (the recorder adds a
traceparent to each turn that has none), --correlation-header, or — when exactly one turn is
in flight — by time; otherwise counted as unattributed. SIGINT/SIGTERM flush every open
session and finish the archive. Everything is anonymized before it is written.
`;

const command: CommandModule = {
  name: 'record',
  register(program, io, done) {
    program
      .command('record')
      .description('Record anonymized sessions through a proxy in front of the app and its dependencies')
      .requiredOption('--listen <host:port>', 'where the proxy listens')
      .requiredOption('--upstream <url>', 'the app')
      .option('--dep <name=url>', 'a dependency, reached at /_deps/<name>/ (repeatable)', collect, [])
      .requiredOption('--session-from <source>', 'session id: header:<h> | cookie:<c> | query:<q> | json:<key> | json:/<pointer> | path:/x/:id/…')
      .option('--input-from <source>', "the user's words in the request (default: the whole body)")
      .option('--reply-from <source>', 'the reply text in the response, per event when streamed (default: the whole body)')
      .option('--structured-from <source>', 'the structured output in the JSON reply, e.g. json:/triage (default: the whole JSON body)')
      .option('--segment <tag=source>', 'a segment tag read from the first request of a session (repeatable)', collect, [])
      .option('--correlation-header <name>', 'a header the app copies from its request onto its dependency calls')
      .option('--key-file <path>', 'anonymization HMAC key (else $REHEARSAL_ANON_KEY)')
      .option('--ephemeral-key', 'use a random throwaway key (recordings cannot be searched with `find`)')
      .requiredOption('--out <archive>', 'recording to write, e.g. recordings/prod.tar.gz')
      .option('--kind <name=kind>', 'override the inferred kind of a dependency: llm | tool | retrieval | http (repeatable)', collect, [])
      .option('--sample <fraction>', 'fraction of sessions recorded, decided per session id', '1')
      .option('--segment-cap <tag=value:max>', 'at most <max> sessions of that segment (repeatable)', collect, [])
      .option('--idle-timeout <duration>', 'a session closes after this long without a turn', '5m')
      .option('--rotate <size|duration>', 'start a new archive file (prod-0001.tar.gz, …) every 100MB or 1h')
      .option('--max-queue <sessions>', 'sessions waiting for the disk before new ones are dropped', '1000')
      .option('--stats', 'print a line of counters periodically')
      .option('--stats-interval <duration>', 'period of --stats', '10s')
      .addHelpText('after', EXAMPLES)
      .action(async (opts: RecordOptions) => {
        const key = await loadKey({ ...(opts.keyFile ? { keyFile: resolve(io.cwd, opts.keyFile) } : {}), env: io.env, ...(opts.ephemeralKey ? { ephemeral: true } : {}) });
        const anonymizer = createAnonymizer({ key });
        const proxy = await startProxyRecorder({
          listen: parseListen(opts.listen),
          upstream: opts.upstream,
          deps: parseDeps(opts.dep),
          out: resolve(io.cwd, opts.out),
          anonymizer,
          pseudonymizeId: (id) => pseudonymizeSessionId(key, id),
          sessionFrom: parseValueSource(opts.sessionFrom, '--session-from'),
          ...(opts.inputFrom ? { inputFrom: parseValueSource(opts.inputFrom, '--input-from') } : {}),
          ...(opts.replyFrom ? { replyFrom: parseValueSource(opts.replyFrom, '--reply-from') } : {}),
          ...(opts.structuredFrom ? { structuredFrom: parseStructuredSource(opts.structuredFrom, '--structured-from') } : {}),
          segments: parseSegments(opts.segment),
          ...(opts.correlationHeader ? { correlationHeader: opts.correlationHeader } : {}),
          kinds: parseKinds(opts.kind),
          sample: parseRate(opts.sample),
          segmentCaps: opts.segmentCap.map(parseSegmentCap),
          idleMs: parseDurationOption(opts.idleTimeout, '--idle-timeout'),
          ...(opts.rotate ? { rotate: parseRotate(opts.rotate) } : {}),
          maxQueue: Math.max(1, Number(opts.maxQueue) || 1000),
          generator: 'rehearse record 0.1.0',
          onError: (m) => io.stderr.write(`rehearse record: ${m}\n`),
        });
        io.stderr.write(`rehearse record: listening on ${proxy.url} → ${opts.upstream}; deps ${opts.dep.join(', ') || '(none)'}; writing ${opts.out}\n`);
        const ticker = opts.stats
          ? setInterval(() => io.stderr.write(`rehearse record: ${formatStats(proxy.stats())}\n`), parseDurationOption(opts.statsInterval, '--stats-interval'))
          : undefined;
        const signal = await new Promise<NodeJS.Signals>((resolveSignal) => {
          process.once('SIGINT', () => resolveSignal('SIGINT'));
          process.once('SIGTERM', () => resolveSignal('SIGTERM'));
        });
        clearInterval(ticker);
        io.stderr.write(`rehearse record: ${signal}: flushing open sessions…\n`);
        const stats = await proxy.close();
        io.stderr.write(`rehearse record: ${formatStats(stats)}\n`);
        io.stdout.write(`${stats.archives.join('\n')}\n`);
        done(ExitCode.OK);
      });
  },
};

export default command;
