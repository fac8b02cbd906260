import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Per-turn propagation context, carried with AsyncLocalStorage the way an OpenTelemetry
 * instrumented app carries its active span: the incoming turn's trace id, tracestate, baggage
 * and every `x-rehearsal-*` header follow each outbound call the turn makes, including calls
 * made from timers, retries and coalesced promises started inside the turn.
 */
export interface TurnContext {
  readonly traceId: string;
  readonly traceFlags: string;
  readonly tracestate: string | undefined;
  readonly baggage: string | undefined;
  /** `x-rehearsal-*` headers, lower-cased names, forwarded verbatim. */
  readonly forwarded: Readonly<Record<string, string>>;
}

const storage = new AsyncLocalStorage<TurnContext>();

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

function headerValue(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Reads the context of an incoming request. A missing or invalid `traceparent` starts a new
 * trace, as the W3C spec asks of a service at the edge.
 */
export function contextFromHeaders(headers: IncomingHttpHeaders): TurnContext {
  const match = TRACEPARENT.exec(headerValue(headers.traceparent)?.trim().toLowerCase() ?? '');
  const valid = match !== null && match[1] !== 'ff' && !/^0+$/.test(match[2] ?? '') && !/^0+$/.test(match[3] ?? '');
  const forwarded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const text = headerValue(value);
    if (name.startsWith('x-rehearsal-') && text !== undefined) forwarded[name] = text;
  }
  return {
    traceId: valid ? (match[2] as string) : randomBytes(16).toString('hex'),
    traceFlags: valid ? (match[4] as string) : '01',
    tracestate: valid ? headerValue(headers.tracestate) : undefined,
    baggage: headerValue(headers.baggage),
    forwarded,
  };
}

export function runInTurnContext<T>(context: TurnContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentTurnContext(): TurnContext | undefined {
  return storage.getStore();
}

/**
 * Headers for one outbound call: the turn's trace id under a fresh client span id (as an OTel
 * HTTP client span would), plus tracestate, baggage and `x-rehearsal-*` verbatim. Outside any
 * turn (startup, health checks) there is nothing to propagate.
 */
export function propagationHeaders(): Record<string, string> {
  const context = storage.getStore();
  if (!context) return {};
  const headers: Record<string, string> = {
    traceparent: `00-${context.traceId}-${randomBytes(8).toString('hex')}-${context.traceFlags}`,
    ...context.forwarded,
  };
  if (context.tracestate !== undefined) headers.tracestate = context.tracestate;
  if (context.baggage !== undefined) headers.baggage = context.baggage;
  return headers;
}
