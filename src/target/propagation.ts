import { baggageFor, traceparentFor } from '../wire/trace-context.ts';

/** Identifies one turn of one session instance for the attribution headers. */
export interface TurnIdentity {
  runId: string;
  instance: string;
  turn: number;
}

/**
 * Headers every turn carries: `traceparent` (its trace id encodes the instance and turn, see
 * `wire/trace-context.ts`, so the virtual dependencies attribute calls of an app that
 * propagates trace context), `baggage` (`rehearsal.session=…,rehearsal.turn=…`) and
 * `x-rehearsal-run|session|turn`.
 */
export function propagationHeaders(id: TurnIdentity): Record<string, string> {
  return {
    traceparent: traceparentFor(id.instance, id.turn),
    baggage: baggageFor(id.instance, id.turn),
    'x-rehearsal-run': id.runId,
    'x-rehearsal-session': id.instance,
    'x-rehearsal-turn': String(id.turn),
  };
}
