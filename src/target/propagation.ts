import { createHash } from 'node:crypto';

/** Identifies one turn of one session instance for the attribution headers. */
export interface TurnIdentity {
  runId: string;
  instance: string;
  turn: number;
}

const hex = (text: string, chars: number): string => createHash('sha256').update(text).digest('hex').slice(0, chars);

/**
 * W3C `traceparent` for a turn: the trace id is derived from the instance (so every turn and
 * every dependency call of a session share one trace), the parent span id from the turn. Both
 * are deterministic, so a dependency can map a trace id back to its instance without state.
 */
export function traceparentFor(id: TurnIdentity): string {
  const traceId = hex(`${id.runId}\u001f${id.instance}`, 32);
  const spanId = hex(`${id.runId}\u001f${id.instance}\u001f${id.turn}`, 16);
  return `00-${traceId}-${spanId}-01`;
}

/**
 * Headers every turn carries: `traceparent`, `baggage` (`rehearsal.session=…,rehearsal.turn=…`)
 * and `x-rehearsal-run|session|turn`. An app that propagates trace context lets the virtual
 * dependencies attribute its calls to the session and turn.
 */
export function propagationHeaders(id: TurnIdentity): Record<string, string> {
  return {
    traceparent: traceparentFor(id),
    baggage: `rehearsal.session=${encodeURIComponent(id.instance)},rehearsal.turn=${id.turn}`,
    'x-rehearsal-run': id.runId,
    'x-rehearsal-session': id.instance,
    'x-rehearsal-turn': String(id.turn),
  };
}
