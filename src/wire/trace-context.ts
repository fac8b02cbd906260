/**
 * The W3C trace context the replayer mints and the virtual dependencies (and the recorder)
 * read back: `traceparent` and the `rehearsal.*` members of `baggage`.
 */
import { createHash } from 'node:crypto';

/*
 * The replayer sends each turn a `traceparent` whose trace id is derived from the session
 * instance and the turn; an app that propagates trace context (as OpenTelemetry does) carries
 * the trace id to every dependency call while it mints fresh span ids, so the trace id alone
 * must identify both: 24 hex digits of the instance's hash, then the turn in 8 hex digits.
 */

const TRACEPARENT = /^00-([0-9a-f]{24})([0-9a-f]{8})-[0-9a-f]{16}-[0-9a-f]{2}$/;

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The instance's part of every trace id the replayer sends for it (24 hex digits). */
export function traceKeyFor(instance: string): string {
  return sha(`rehearsal-trace\u001f${instance}`).slice(0, 24);
}

/** The W3C `traceparent` the replayer sends with `turn` of `instance` (sampled). */
export function traceparentFor(instance: string, turn: number): string {
  const spanId = sha(`rehearsal-span\u001f${instance}\u001f${turn}`).slice(0, 15);
  // A leading 1 keeps the span id from ever being all zeros (invalid in W3C trace context).
  return `00-${traceKeyFor(instance)}${turn.toString(16).padStart(8, '0')}-1${spanId}-01`;
}

/**
 * The inverse of `traceparentFor`: the trace key and turn a `traceparent` carries, or
 * undefined when it is not one the replayer minted. Look the key up among registered
 * instances (`traceKeyFor`) to find the instance.
 */
export function parseTraceparent(value: string | undefined): { traceKey: string; turn: number } | undefined {
  const m = value === undefined ? null : TRACEPARENT.exec(value.trim().toLowerCase());
  if (!m) return undefined;
  return { traceKey: m[1] as string, turn: Number.parseInt(m[2] as string, 16) };
}

/** `rehearsal.session` and `rehearsal.turn` from a W3C `baggage` header, when present. */
export function parseBaggage(value: string | undefined): { session?: string; turn?: number } {
  const out: { session?: string; turn?: number } = {};
  if (value === undefined) return out;
  for (const member of value.split(',')) {
    const [pair = ''] = member.split(';');
    const eq = pair.indexOf('=');
    if (eq === -1) continue;
    const key = pair.slice(0, eq).trim();
    let text: string;
    try {
      text = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      continue;
    }
    if (key === 'rehearsal.session') out.session = text;
    else if (key === 'rehearsal.turn' && /^\d+$/.test(text)) out.turn = Number(text);
  }
  return out;
}

/** The `baggage` value the replayer sends with a turn. */
export function baggageFor(instance: string, turn: number): string {
  return `rehearsal.session=${encodeURIComponent(instance)},rehearsal.turn=${turn}`;
}
