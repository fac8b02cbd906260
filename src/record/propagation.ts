/**
 * Trace-context propagation the recorder reads on dependency calls to tie them to a turn:
 * `x-rehearsal-session` / `x-rehearsal-turn`, W3C `baggage` (`rehearsal.session`,
 * `rehearsal.turn`) and the W3C `traceparent` trace id.
 */
import { randomBytes } from 'node:crypto';
import { parseBaggage } from '../wire/trace-context.ts';

export interface Propagated {
  session?: string;
  turn?: number;
  traceId?: string;
}

type Headers = Record<string, string | string[] | undefined>;

function first(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** The 32-hex trace id of a `traceparent` header, when well-formed. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  const m = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent?.trim() ?? '');
  return m && !/^0+$/.test(m[1] as string) ? m[1] : undefined;
}

/**
 * Random bytes for trace ids, drawn from OpenSSL 4 KiB at a time: one call per id (two per
 * proxied request) cost more CPU than any other step of recording a turn.
 */
const RANDOM_POOL_BYTES = 4096;
let randomPool = Buffer.alloc(0);
let randomAt = 0;

function pooledRandomHex(bytes: number): string {
  if (randomAt + bytes > randomPool.length) {
    randomPool = randomBytes(RANDOM_POOL_BYTES);
    randomAt = 0;
  }
  return randomPool.toString('hex', randomAt, (randomAt += bytes));
}

/** A fresh sampled `traceparent` (version 00). */
export function newTraceparent(): string {
  return `00-${pooledRandomHex(16)}-${pooledRandomHex(8)}-01`;
}

export function readPropagated(headers: Headers): Propagated {
  const out: Propagated = {};
  const session = first(headers, 'x-rehearsal-session');
  const turn = first(headers, 'x-rehearsal-turn');
  if (session) out.session = session;
  if (turn && /^\d+$/.test(turn)) out.turn = Number(turn);
  // The explicit x-rehearsal-* headers win over baggage.
  const baggage = parseBaggage(first(headers, 'baggage'));
  if (baggage.session && !out.session) out.session = baggage.session;
  if (baggage.turn !== undefined && out.turn === undefined) out.turn = baggage.turn;
  const traceId = traceIdOf(first(headers, 'traceparent'));
  if (traceId) out.traceId = traceId;
  return out;
}
