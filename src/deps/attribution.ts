import type { Attribution } from '../model/index.ts';
import { parseBaggage, parseTraceparent } from '../wire/trace-context.ts';

/** What attribution may ask of the registered instances. */
export interface AttributionView {
  has(instance: string): boolean;
  /** The turn the instance is on now (`setTurn`), null between turns. */
  currentTurn(instance: string): number | null;
  /** The instance whose trace key this is (`traceKeyFor`). */
  byTraceKey(traceKey: string): string | undefined;
  /** Distinct instances whose canaries occur in `text`; may stop after two. */
  canaryOwners(text: string): string[];
  /** Instances with a turn in flight. */
  inFlight(): string[];
}

export interface CallAttribution {
  instance: string | null;
  turn: number | null;
  attribution: Attribution;
}

const header = (headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const turnOf = (text: string | undefined): number | undefined => (text !== undefined && /^\d+$/.test(text.trim()) ? Number(text) : undefined);

/**
 * Which session instance and turn a call belongs to, first that applies: `x-rehearsal-session`
 * (+ `x-rehearsal-turn`), `baggage`, `traceparent`, canaries in the body (exactly one
 * instance's), time (exactly one instance with a turn in flight), else none. A header naming
 * an instance that is not registered (ended, or another run's) is ignored, not trusted.
 * When a method names the instance but not the turn, the instance's current turn is used.
 */
export function attribute(headers: Readonly<Record<string, string | string[] | undefined>>, bodyText: string, view: AttributionView): CallAttribution {
  const found = (instance: string, turn: number | undefined, attribution: Attribution): CallAttribution => ({
    instance,
    turn: turn ?? view.currentTurn(instance),
    attribution,
  });

  const session = header(headers, 'x-rehearsal-session');
  if (session !== undefined && view.has(session)) return found(session, turnOf(header(headers, 'x-rehearsal-turn')), 'headers');

  const baggage = parseBaggage(header(headers, 'baggage'));
  if (baggage.session !== undefined && view.has(baggage.session)) return found(baggage.session, baggage.turn, 'baggage');

  const trace = parseTraceparent(header(headers, 'traceparent'));
  const traced = trace && view.byTraceKey(trace.traceKey);
  if (trace && traced !== undefined) return found(traced, trace.turn, 'traceparent');

  if (bodyText.length > 0) {
    const owners = view.canaryOwners(bodyText);
    if (owners.length === 1) return found(owners[0] as string, undefined, 'canary');
  }

  const flying = view.inFlight();
  if (flying.length === 1) return found(flying[0] as string, undefined, 'time');

  return { instance: null, turn: null, attribution: 'none' };
}
