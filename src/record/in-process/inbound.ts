/**
 * Inbound turn capture for the in-process recorder. The request body is observed through the
 * request's own `emit('data')` — every chunk the app consumes passes there whether it reads in
 * flowing mode, with `read()` or by async iteration — so the app's reading is never changed.
 * The response is observed by wrapping the instance's `write` / `end`, as compression
 * middleware does. The turn ends on the response's `finish` or `close`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StreamChunk, TurnOutput } from '../../model/index.ts';
import { isStreamingType } from '../captured-call.ts';
import type { InboundView, RecorderCore } from '../recorder-core.ts';
import { replyOf } from '../reply.ts';
import type { ActiveTurn } from '../session-book.ts';

function toBuffer(chunk: unknown, encoding?: BufferEncoding): Buffer | undefined {
  if (chunk === undefined || chunk === null || typeof chunk === 'function') return undefined;
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  return Buffer.from(String(chunk), encoding);
}

/** Starts capturing one inbound request; returns the turn (undefined when the recorder declined). */
export function captureInbound(core: RecorderCore, req: IncomingMessage, res: ServerResponse): ActiveTurn | undefined {
  const startedAt = core.now();
  const view = (): InboundView => ({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: parsedBody() });
  const requestParts: Buffer[] = [];
  const parsedBody = (): unknown => {
    // A body parser that ran before the middleware leaves the body on `req.body`.
    const parsed = (req as { body?: unknown }).body;
    if (parsed !== undefined && requestParts.length === 0) return parsed;
    const text = Buffer.concat(requestParts).toString('utf8');
    try {
      return text ? JSON.parse(text) : undefined;
    } catch {
      return text;
    }
  };
  const turn = core.beginTurn({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers }, undefined);
  if (!turn) return undefined;

  const emit = req.emit;
  req.emit = function (this: IncomingMessage, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'data') {
      const b = toBuffer(args[0]);
      if (b) requestParts.push(b);
    }
    return emit.call(this, event, ...args) as boolean;
  } as IncomingMessage['emit'];

  const replyParts: Buffer[] = [];
  const chunks: StreamChunk[] = [];
  let firstByteAt: number | undefined;
  let streamed: boolean | undefined;
  const decoder = new TextDecoder();
  const observe = (chunk: unknown, encoding?: unknown) => {
    try {
      const b = toBuffer(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : undefined);
      if (!b || b.length === 0) return;
      const at = core.now();
      firstByteAt ??= at;
      streamed ??= isStreamingType(responseHeaders());
      if (streamed) chunks.push({ offsetMs: at - startedAt, data: decoder.decode(b, { stream: true }) });
      else replyParts.push(b);
    } catch {
      // Observation must never break the response.
    }
  };
  // Headers given to writeHead never show in getHeaders(): keep them for the content type.
  const headHeaders: Record<string, string | string[] | undefined> = {};
  const responseHeaders = () => ({ ...(res.getHeaders() as Record<string, string | string[] | undefined>), ...headHeaders });
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    try {
      const given = args.find((a, i) => i > 0 && typeof a === 'object' && a !== null);
      if (Array.isArray(given)) {
        for (let i = 0; i + 1 < given.length; i += 2) headHeaders[String(given[i]).toLowerCase()] = String(given[i + 1]);
      } else if (given) {
        for (const [k, v] of Object.entries(given)) headHeaders[k.toLowerCase()] = Array.isArray(v) ? v.map(String) : String(v);
      }
    } catch {
      // Observation must never break the response.
    }
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['writeHead'];
  const write = res.write;
  const end = res.end;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    observe(chunk, rest[0]);
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    observe(chunk, rest[0]);
    return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];

  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    req.emit = emit;
    const inbound = view();
    if (!core.assignSession(turn, inbound)) {
      core.abandonTurn(turn);
      return;
    }
    const headers = responseHeaders();
    const reply = replyOf(inbound.url, headers, streamed ? undefined : Buffer.concat(replyParts), streamed ? chunks : undefined, core.config.replyFrom, core.config.structuredFrom);
    const output: TurnOutput = { status: res.statusCode, text: reply.text, latencyMs: Math.max(0, core.now() - startedAt) };
    if (reply.structured !== undefined) output.structured = reply.structured;
    if (streamed && firstByteAt !== undefined) output.ttftMs = firstByteAt - startedAt;
    if (!res.writableFinished) output.error = 'the connection closed before the reply finished';
    core.endTurn(turn, { ...inbound, rawBody: Buffer.concat(requestParts) }, output);
  };
  res.once('finish', finish);
  res.once('close', finish);
  return turn;
}
