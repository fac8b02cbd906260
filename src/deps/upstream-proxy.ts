import type { IncomingHttpHeaders } from 'node:http';
import { Pool } from 'undici';
import { errorMessage } from '../errors.ts';
import type { Outcome } from './faults/fault-kind.ts';
import { jsonReply } from './faults/reply-body.ts';
import { answerHeaders } from './call-controller.ts';

/** Request headers not forwarded: per-connection ones, and the virtual server's own host. */
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'proxy-connection', 'te', 'upgrade', 'expect']);

export interface ForwardRequest {
  dependency: string;
  upstream: string;
  method: string;
  /** Path and query relative to the dependency's base URL. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  signal: AbortSignal;
}

/**
 * Forwards calls to real staging dependencies (`proxy` mode, `passthrough` misses) through one
 * keep-alive undici Pool per upstream origin. The answer streams through as it arrives
 * (a `live` body) unless a fault needs to edit it.
 */
export class UpstreamProxy {
  readonly #pools = new Map<string, Pool>();

  #pool(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections: 128 });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  async forward(request: ForwardRequest): Promise<Outcome> {
    const base = new URL(request.upstream);
    const path = `${base.pathname.replace(/\/$/, '')}${request.path}`;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && !NOT_FORWARDED.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    try {
      const response = await this.#pool(base.origin).request({
        method: request.method,
        path,
        headers,
        body: request.body.length > 0 ? request.body : null,
        signal: request.signal,
      });
      const flat: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
      const type = flat['content-type'] ?? '';
      const streamed = type.includes('text/event-stream') || type.includes('ndjson');
      return { type: 'reply', reply: { status: response.statusCode, headers: answerHeaders(flat), body: { type: 'live', source: response.body, streamed } } };
    } catch (err) {
      return jsonReply(502, {
        error: {
          type: 'rehearsal_upstream_unreachable',
          message: `dependency ${request.dependency}: ${request.method} ${base.origin}${path} failed: ${errorMessage(err)}`,
          hint: `check that upstream ${request.upstream} is running and reachable from rehearsal`,
        },
      });
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((p) => p.close()));
    this.#pools.clear();
  }
}
