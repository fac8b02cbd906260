/**
 * Forwards one request upstream with undici and relays the answer — streamed answers chunk by
 * chunk, others whole in one write — while keeping a copy for the recording.
 *
 * Cost per request is what limits a proxy, so this stays close to the wire: undici's
 * `dispatch` with a handler (no response stream object, no AbortSignal listeners, no async
 * iteration), and one socket write per non-streamed answer. Streamed answers (SSE, NDJSON)
 * keep the app's timing: headers flushed at once, each chunk written as it comes, upstream
 * paused while the client is slow.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { ExchangeError, StreamChunk } from '../../model/index.ts';
import { isStreamingType } from '../captured-call.ts';

/** RFC 9110 §7.6.1 hop-by-hop headers, plus `host` (undici sets the upstream's). */
const HOP_BY_HOP: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authenticate', 'proxy-authorization', 'host']);

type HeaderBag = IncomingHttpHeaders | Record<string, string | string[] | undefined>;

/** Drops hop-by-hop headers, including those the `connection` header lists. */
export function endToEndHeaders(headers: HeaderBag): Record<string, string | string[]> {
  const connection = headers.connection;
  const listed = connection === undefined ? undefined : connectionTokens(connection);
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    const lower = name.toLowerCase();
    if (value !== undefined && !HOP_BY_HOP.has(lower) && !listed?.has(lower)) out[name] = value;
  }
  return out;
}

/** Header names a `connection` header lists (other than `close` / `keep-alive`, dropped anyway). */
function connectionTokens(connection: string | string[]): Set<string> | undefined {
  let listed: Set<string> | undefined;
  for (const token of (Array.isArray(connection) ? connection.join(',') : connection).split(',')) {
    const name = token.trim().toLowerCase();
    if (name && !HOP_BY_HOP.has(name)) (listed ??= new Set()).add(name);
  }
  return listed;
}

export interface ForwardResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body?: Buffer;
  /** For streamed responses; `offsetMs` from `origin`. */
  chunks?: StreamChunk[];
  /** Monotonic ms of the first body byte, when there was one. */
  firstByteAt?: number;
  error?: ExchangeError;
}

export interface ForwardRequest {
  dispatcher: Dispatcher;
  origin: string;
  path: string;
  method: string;
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** Monotonic ms chunk offsets are measured from. */
  origin0: number;
  now: () => number;
}

/** Forwards and answers `res`; resolves when the response is done (or failed), never rejects. */
export function forward(req: ForwardRequest, res: ServerResponse): Promise<ForwardResult> {
  return new Promise((resolve) => {
    const relay = new Relay(req, res, resolve);
    req.dispatcher.dispatch(
      { origin: req.origin, path: req.path, method: req.method as Dispatcher.HttpMethod, headers: req.headers, body: req.body.length > 0 ? req.body : null },
      relay,
    );
  });
}

/**
 * One request's undici handler: collects or streams the answer into `res` and settles once,
 * with the result or the error (answered 502 when nothing was sent yet).
 */
class Relay implements Dispatcher.DispatchHandler {
  readonly #req: ForwardRequest;
  readonly #res: ServerResponse;
  readonly #settle: (result: ForwardResult) => void;
  #controller: Dispatcher.DispatchController | undefined;
  #result: ForwardResult | undefined;
  /** Body parts of a whole answer; undefined for a streamed one. */
  #parts: Buffer[] | undefined;
  #chunks: StreamChunk[] | undefined;
  #decoder: TextDecoder | undefined;
  #clientGone = false;

  constructor(req: ForwardRequest, res: ServerResponse, settle: (result: ForwardResult) => void) {
    this.#req = req;
    this.#res = res;
    this.#settle = settle;
    res.on('close', this.#onClientClose);
  }

  readonly #onClientClose = (): void => {
    if (this.#res.writableFinished) return;
    this.#clientGone = true;
    this.#controller?.abort(new Error('client closed the connection'));
  };

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#clientGone) controller.abort(new Error('client closed the connection'));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return; // 1xx: informational, the real answer follows
    this.#result = { status: statusCode, headers };
    if (!isStreamingType(headers)) {
      this.#parts = [];
      return;
    }
    this.#chunks = [];
    this.#decoder = new TextDecoder();
    this.#res.writeHead(statusCode, endToEndHeaders(headers));
    this.#res.flushHeaders();
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const result = this.#result as ForwardResult;
    const at = this.#req.now();
    result.firstByteAt ??= at;
    if (this.#parts) {
      this.#parts.push(chunk);
      return;
    }
    (this.#chunks as StreamChunk[]).push({ offsetMs: Math.max(0, at - this.#req.origin0), data: (this.#decoder as TextDecoder).decode(chunk, { stream: true }) });
    if (!this.#res.write(chunk)) {
      controller.pause();
      this.#res.once('drain', () => controller.resume());
    }
  }

  onResponseEnd(): void {
    const result = this.#result as ForwardResult;
    if (this.#parts) {
      const body = this.#parts.length === 1 ? (this.#parts[0] as Buffer) : Buffer.concat(this.#parts);
      result.body = body;
      this.#res.writeHead(result.status, endToEndHeaders(result.headers));
      this.#res.end(body);
    } else {
      this.#res.end();
      const tail = (this.#decoder as TextDecoder).decode();
      const chunks = this.#chunks as StreamChunk[];
      if (tail) chunks.push({ offsetMs: Math.max(0, this.#req.now() - this.#req.origin0), data: tail });
      result.chunks = chunks;
    }
    this.#finish(result);
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    const code = (err as { code?: string }).code ?? (this.#clientGone ? 'client_abort' : 'upstream_error');
    const error: ExchangeError = { code, message: err.message };
    const res = this.#res;
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `rehearse record: upstream ${this.#req.origin} failed: ${error.message}` }));
    } else res.destroy();
    this.#finish({ ...(this.#result ?? { status: 502, headers: {} }), error });
  }

  #finish(result: ForwardResult): void {
    this.#res.off('close', this.#onClientClose);
    this.#settle(result);
  }
}
