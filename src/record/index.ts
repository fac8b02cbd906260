/**
 * The in-process recorder for Node apps (published as `rehearsal/record`):
 *
 * ```ts
 * import { createRecorder } from 'rehearsal/record';
 * const recorder = createRecorder({
 *   out: 'recordings/prod.tar.gz', key: await loadKey({ keyFile: './anon.key' }),
 *   sessionFrom: 'json:session_id', inputFrom: 'json:/message', replyFrom: 'json:/reply',
 *   deps: { llm: 'https://api.openai.com', tools: 'http://tools.internal' },
 * });
 * http.createServer(recorder.wrapHandler(handler));   // or app.use(recorder.middleware())
 * process.on('SIGTERM', () => recorder.close());
 * ```
 *
 * Each inbound request runs inside an AsyncLocalStorage context holding its turn; outbound
 * calls made in that context are that turn's exchanges, observed through public diagnostics
 * channels: undici's for fetch and undici, Node's for node:http(s) — no patching of any
 * library (the measurements behind that choice are in docs/recording.md). Recording never changes a request or a reply,
 * and a recorder failure is counted in `stats()`, never thrown into the app.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createAnonymizer, pseudonymizeSessionId, type Anonymizer } from '../anonymize/index.ts';
import { HarnessError } from '../errors.ts';
import type { CapturedCall } from './captured-call.ts';
import { observeHttpClients } from './in-process/http-client-observer.ts';
import { DependencyMap } from './in-process/dependency-map.ts';
import { captureInbound } from './in-process/inbound.ts';
import { chunksOf, observeUndici, type ObservedCall } from './in-process/undici-observer.ts';
import { isStreamingType } from './captured-call.ts';
import { RecorderCore, type RecorderConfig } from './recorder-core.ts';
import type { RecorderStats } from './recorder-stats.ts';
import type { ActiveTurn } from './session-book.ts';
import { parseValueSource, type ValueSource } from './value-source.ts';

export type { RecorderStats } from './recorder-stats.ts';
export { formatStats } from './recorder-stats.ts';

type SourceOption = string | ValueSource;

export interface RecorderOptions extends Omit<RecorderConfig, 'anonymizer' | 'sessionFrom' | 'inputFrom' | 'replyFrom' | 'segments'> {
  /** HMAC key for the built-in anonymizer (see `loadKey`); or pass `anonymizer`. */
  key?: Buffer;
  anonymizer?: Anonymizer;
  /** Source spec (`header:x-session-id`, `json:/session/id`, `path:/c/:id/…`) or a ValueSource. */
  sessionFrom: SourceOption;
  inputFrom?: SourceOption;
  replyFrom?: SourceOption;
  segments?: Record<string, SourceOption>;
  /** Dependency name → base URL. Calls elsewhere are recorded with their host as the dependency. */
  deps?: Record<string, string>;
  /** Also observe node:http / node:https client calls (default true). */
  captureNodeHttp?: boolean;
}

export interface Recorder {
  /** Wraps a node:http request handler so each request it serves is captured as a turn. */
  wrapHandler<H extends (req: IncomingMessage, res: ServerResponse) => unknown>(handler: H): H;
  /** Connect/Express-style middleware; put it after the body parser when the session id is in the body. */
  middleware(): (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;
  stats(): RecorderStats;
  /** Stops observing, flushes every open session and finishes the archive. */
  close(): Promise<RecorderStats>;
}

function source(value: SourceOption, option: string): ValueSource {
  return typeof value === 'string' ? parseValueSource(value, option) : value;
}

export function createRecorder(options: RecorderOptions): Recorder {
  const anonymizer = options.anonymizer ?? (options.key ? createAnonymizer({ key: options.key }) : undefined);
  if (!anonymizer) {
    throw new HarnessError('ANONYMIZE', 'createRecorder needs `key` or `anonymizer`: nothing is recorded un-anonymized', {
      hint: "load the key with loadKey({ keyFile: './anon.key' }) from 'rehearsal/anonymize'",
    });
  }
  const { key: _key, anonymizer: _given, sessionFrom: _s, inputFrom: _i, replyFrom: _r, segments: _g, deps: _d, captureNodeHttp: _c, ...rest } = options;
  const config: RecorderConfig = {
    ...rest,
    anonymizer,
    ...(options.pseudonymizeId ? {} : options.key ? { pseudonymizeId: (id: string) => pseudonymizeSessionId(options.key as Buffer, id) } : {}),
    sessionFrom: source(options.sessionFrom, 'sessionFrom'),
    ...(options.inputFrom ? { inputFrom: source(options.inputFrom, 'inputFrom') } : {}),
    ...(options.replyFrom ? { replyFrom: source(options.replyFrom, 'replyFrom') } : {}),
    segments: Object.fromEntries(Object.entries(options.segments ?? {}).map(([k, v]) => [k, source(v, `segments.${k}`)])),
    generator: options.generator ?? 'rehearsal/record',
  };
  const core = new RecorderCore(config);
  const deps = new DependencyMap(options.deps ?? {});
  const turns = new AsyncLocalStorage<ActiveTurn>();

  const hooks = {
    now: () => core.now(),
    contextFor(url: string): unknown {
      const turn = turns.getStore();
      if (turn) return turn;
      // Outside any turn: only calls to configured dependencies matter, and they are unattributed.
      return deps.route(url).configured ? null : undefined;
    },
    onCall(observed: ObservedCall) {
      const route = deps.route(observed.url);
      const streamed = observed.response ? isStreamingType(observed.response.headers) : false;
      const call: CapturedCall = {
        dependency: route.dependency,
        path: route.path,
        method: observed.method,
        url: observed.url,
        requestHeaders: observed.requestHeaders,
        requestBody: observed.requestBody,
        startedAt: observed.startedAt,
        endedAt: observed.endedAt,
      };
      if (observed.response) {
        const { status, headers, parts } = observed.response;
        call.response = streamed
          ? { status, headers, chunks: chunksOf(parts, observed.startedAt) }
          : { status, headers, body: Buffer.concat(parts.map((p) => p.data)) };
      }
      if (observed.error) call.error = observed.error;
      core.recordCall(call, (observed.context as ActiveTurn | null) ?? undefined);
    },
  };
  const unsubscribe = [observeUndici(hooks)];
  if (options.captureNodeHttp !== false) unsubscribe.push(observeHttpClients(hooks));

  return {
    wrapHandler<H extends (req: IncomingMessage, res: ServerResponse) => unknown>(handler: H): H {
      return function (this: unknown, req: IncomingMessage, res: ServerResponse) {
        const turn = captureInbound(core, req, res);
        return turn ? turns.run(turn, () => handler.call(this, req, res)) : handler.call(this, req, res);
      } as H;
    },
    middleware() {
      return (req, res, next) => {
        const turn = captureInbound(core, req, res);
        if (turn) turns.run(turn, next);
        else next();
      };
    },
    stats: () => core.stats(),
    async close() {
      for (const stop of unsubscribe.splice(0)) stop();
      return core.close();
    },
  };
}
