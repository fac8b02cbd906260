/**
 * Observes fetch and undici calls through undici's public `diagnostics_channel` events
 * (`undici:request:create` … `trailers` / `error`): no patching, nothing in the call's path
 * but a few synchronous appends. Node's global fetch (bundled undici) and the undici package
 * publish on the same channels.
 */
import diagnostics from 'node:diagnostics_channel';
import type { StreamChunk } from '../../model/index.ts';

/** A finished call as the channels described it. */
export interface ObservedCall {
  method: string;
  url: string;
  requestHeaders: Record<string, string | string[]>;
  requestBody: Buffer;
  startedAt: number;
  endedAt: number;
  /** Opaque context captured synchronously when the call was created (the turn, via AsyncLocalStorage). */
  context: unknown;
  response?: { status: number; headers: Record<string, string | string[]>; parts: Array<{ at: number; data: Buffer }> };
  error?: { code: string; message: string };
}

export interface ObserverHooks {
  now(): number;
  /** Called at creation; returning undefined means "not recorded" and nothing is kept. */
  contextFor(url: string): unknown;
  onCall(call: ObservedCall): void;
}

interface UndiciRequest {
  origin?: unknown;
  path?: unknown;
  method?: unknown;
  headers?: unknown;
}

export function headerPairs(raw: unknown): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const add = (k: string, v: string) => {
    const name = k.toLowerCase();
    const prev = out[name];
    out[name] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  };
  if (Array.isArray(raw)) {
    for (let i = 0; i + 1 < raw.length; i += 2) add(String(raw[i]), String(raw[i + 1]));
  } else if (typeof raw === 'string') {
    for (const line of raw.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) add(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    }
  }
  return out;
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk));
}

export function chunksOf(parts: ReadonlyArray<{ at: number; data: Buffer }>, origin: number): StreamChunk[] {
  const decoder = new TextDecoder();
  const out = parts.map((p) => ({ offsetMs: Math.max(0, p.at - origin), data: decoder.decode(p.data, { stream: true }) }));
  const tail = decoder.decode();
  if (tail && out.length > 0) (out.at(-1) as StreamChunk).data += tail;
  return out;
}

/** Subscribes; the returned function unsubscribes. */
export function observeUndici(hooks: ObserverHooks): () => void {
  const pending = new WeakMap<object, ObservedCall & { sent: Buffer[] }>();
  const finish = (request: object) => {
    const call = pending.get(request);
    if (!call) return;
    pending.delete(request);
    call.endedAt = hooks.now();
    call.requestBody = Buffer.concat(call.sent);
    const { sent: _sent, ...done } = call;
    hooks.onCall(done);
  };
  const handlers: Record<string, (message: unknown) => void> = {
    'undici:request:create': (message) => {
      const request = (message as { request: UndiciRequest }).request;
      const url = `${String(request.origin ?? '')}${String(request.path ?? '')}`;
      const context = hooks.contextFor(url);
      if (context === undefined) return;
      pending.set(request, {
        method: String(request.method ?? 'GET'),
        url,
        requestHeaders: headerPairs(request.headers),
        requestBody: Buffer.alloc(0),
        sent: [],
        startedAt: hooks.now(),
        endedAt: 0,
        context,
      });
    },
    'undici:request:bodyChunkSent': (message) => {
      const { request, chunk } = message as { request: object; chunk: unknown };
      pending.get(request)?.sent.push(toBuffer(chunk));
    },
    'undici:request:headers': (message) => {
      const { request, response } = message as { request: object; response: { statusCode: number; headers: unknown } };
      const call = pending.get(request);
      if (call) call.response = { status: response.statusCode, headers: headerPairs(response.headers), parts: [] };
    },
    'undici:request:bodyChunkReceived': (message) => {
      const { request, chunk } = message as { request: object; chunk: unknown };
      pending.get(request)?.response?.parts.push({ at: hooks.now(), data: toBuffer(chunk) });
    },
    'undici:request:trailers': (message) => finish((message as { request: object }).request),
    'undici:request:error': (message) => {
      const { request, error } = message as { request: object; error: { code?: string; message?: string } };
      const call = pending.get(request);
      if (call) call.error = { code: error?.code ?? 'network_error', message: error?.message ?? String(error) };
      finish(request);
    },
  };
  for (const [name, fn] of Object.entries(handlers)) diagnostics.subscribe(name, fn);
  return () => {
    for (const [name, fn] of Object.entries(handlers)) diagnostics.unsubscribe(name, fn);
  };
}
