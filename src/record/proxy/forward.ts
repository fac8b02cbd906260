/**
 * Forwards one request upstream with undici and streams the answer back chunk by chunk —
 * never buffered, headers flushed at once — while keeping a copy for the recording.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { ExchangeError, StreamChunk } from '../../model/index.ts';
import { isStreamingType } from '../captured-call.ts';

/** RFC 9110 §7.6.1 hop-by-hop headers, plus `host` (undici sets the upstream's). */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authenticate', 'proxy-authorization', 'host'];

/** Drops hop-by-hop headers, including those the `connection` header lists. */
export function endToEndHeaders(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const drop = new Set(HOP_BY_HOP);
  const connection = headers.connection;
  for (const token of (Array.isArray(connection) ? connection.join(',') : (connection ?? '')).split(',')) {
    if (token.trim()) drop.add(token.trim().toLowerCase());
  }
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !drop.has(name.toLowerCase())) out[name] = value;
  }
  return out;
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

/** Forwards and pipes into `res`; resolves when the response is done (or failed), never rejects. */
export async function forward(req: ForwardRequest, res: ServerResponse): Promise<ForwardResult> {
  const abort = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) abort.abort(new Error('client closed the connection'));
  };
  res.on('close', onClose);
  let result: ForwardResult | undefined;
  try {
    const upstream = await req.dispatcher.request({
      origin: req.origin,
      path: req.path,
      method: req.method as Dispatcher.HttpMethod,
      headers: req.headers,
      body: req.body.length > 0 ? req.body : null,
      signal: abort.signal,
    });
    const streamed = isStreamingType(upstream.headers);
    result = { status: upstream.statusCode, headers: upstream.headers };
    res.writeHead(upstream.statusCode, endToEndHeaders(upstream.headers));
    res.flushHeaders();
    const chunks: StreamChunk[] = [];
    const parts: Buffer[] = [];
    const decoder = new TextDecoder();
    for await (const chunk of upstream.body as AsyncIterable<Buffer>) {
      const at = req.now();
      result.firstByteAt ??= at;
      if (!res.write(chunk)) await waitDrain(res);
      if (streamed) chunks.push({ offsetMs: Math.max(0, at - req.origin0), data: decoder.decode(chunk, { stream: true }) });
      else parts.push(chunk);
    }
    res.end();
    if (streamed) {
      const tail = decoder.decode();
      if (tail) chunks.push({ offsetMs: Math.max(0, req.now() - req.origin0), data: tail });
      result.chunks = chunks;
    } else result.body = Buffer.concat(parts);
    return result;
  } catch (err) {
    const code = (err as { code?: string }).code ?? (abort.signal.aborted ? 'client_abort' : 'upstream_error');
    const error = { code, message: err instanceof Error ? err.message : String(err) };
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `rehearse record: upstream ${req.origin} failed: ${error.message}` }));
    } else res.destroy();
    return { ...(result ?? { status: 502, headers: {} }), error };
  } finally {
    res.off('close', onClose);
  }
}

function waitDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
