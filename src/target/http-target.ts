import { Pool } from 'undici';
import { errorMessage } from '../errors.ts';
import type { Target } from '../scenario/schema.ts';
import { asText, getByPointer } from '../util/json-pointer.ts';
import { buildRequest } from './request-template.ts';
import { turnSignal } from './turn-signal.ts';
import { warmUpPool } from './warm-up.ts';
import type { ObservedReply, SendContext, TargetAdapter, TargetTurn } from './types.ts';

export type HttpTargetConfig = Extract<Target, { type: 'http' }>;

/** Where the target lives once started: rendered base URL and dependency base URLs. */
export interface TargetEnvironment {
  /** Base URL with `{{port}}` rendered. */
  url: string;
  deps: Readonly<Record<string, string>>;
  /** Upper bound on open connections (the scenario's concurrency cap). */
  connections?: number;
  /** Set when a started target process died: turns fail with this cause instead of a socket error. */
  deadCause?: () => string | undefined;
}

/**
 * JSON over HTTP through one keep-alive undici Pool per run (a Pool sustains ~5× the
 * throughput of `fetch` on loopback). The reply text and structured output are taken from the
 * JSON body by pointer.
 */
export function createHttpTarget(config: HttpTargetConfig, env: TargetEnvironment): TargetAdapter {
  const base = new URL(env.url);
  const pool = new Pool(base.origin, { connections: env.connections ?? null, pipelining: 1 });
  return {
    async send(turn: TargetTurn, context: SendContext): Promise<ObservedReply> {
      const req = buildRequest(config.request, base.pathname, turn, context, env.deps);
      const turnAbort = turnSignal(context.signal, config.timeout);
      try {
        const res = await pool.request({
          path: req.path,
          method: req.method as 'POST',
          headers: req.headers,
          body: req.body ?? null,
          signal: turnAbort.signal,
        });
        return extractReply(await res.body.text(), res.statusCode, config.reply);
      } catch (err) {
        return { status: 0, text: '', error: transportError(turnAbort.signal.reason ?? err, `${req.method} ${base.origin}${req.path}`, config.timeout, env) };
      } finally {
        turnAbort.done();
      }
    },
    warmUp: (request) => warmUpPool(pool, request, config.timeout),
    close: () => pool.close(),
  };
}

function extractReply(raw: string, status: number, reply: HttpTargetConfig['reply']): ObservedReply {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    const out: ObservedReply = { status, text: raw };
    if (status < 400) out.error = `reply is not JSON (${raw.length} bytes), cannot read ${reply.text}`;
    return out;
  }
  const text = getByPointer(body, reply.text);
  const out: ObservedReply = { status, text: asText(text) };
  if (reply.structured !== undefined) {
    const structured = getByPointer(body, reply.structured);
    if (structured !== undefined) out.structured = structured;
  }
  if (text === undefined && status < 400) out.error = `reply has no ${reply.text}`;
  return out;
}

/** A transport failure in words: the dead target's cause first, then timeouts, then the socket error. */
export function transportError(err: unknown, what: string, timeoutMs: number, env: Pick<TargetEnvironment, 'deadCause'>): string {
  const dead = env.deadCause?.();
  if (dead) return `${what}: ${dead}`;
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError') return `${what}: no reply within ${timeoutMs} ms (target.timeout)`;
  if (name === 'AbortError') return `${what}: aborted`;
  const code = (err as { code?: string }).code;
  return `${what}: ${code ? `${code} ` : ''}${errorMessage(err)}`;
}
