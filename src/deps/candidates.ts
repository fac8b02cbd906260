import type { Exchange, Session } from '../model/index.ts';
import { bodyKey, type BodyKey } from './similarity.ts';

/** A recorded exchange an instance's call may be answered with. */
export interface Candidate {
  turn: number;
  /** Index in the turn's `exchanges` (what `CallMatch.exchange.index` reports). */
  index: number;
  /** n-th exchange with the same method and path within the turn and dependency (0-based). */
  repeat: number;
  method: string;
  path: string;
  /** Already re-keyed to the instance's identities. */
  exchange: Exchange;
  key: BodyKey;
  /** The served body text, serialised on first use and reused by every later answer. */
  servedText?: string;
}

/** One dependency's candidates for one instance, indexed for the matcher's lookups. */
export interface CandidateIndex {
  dependency: string;
  all: Candidate[];
  /** `${turn} ${method} ${path}` → candidates in repeat order. */
  byTurnRoute: Map<string, Candidate[]>;
  /** `${method} ${path}` → candidates in turn order. */
  byRoute: Map<string, Candidate[]>;
}

export const routeKey = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;
export const turnRouteKey = (turn: number, method: string, path: string): string => `${turn} ${routeKey(method, path)}`;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Indexes a (re-keyed) recorded session's exchanges per dependency, once at registration,
 * so that matching a call is a few map lookups.
 */
export function indexCandidates(session: Session): Map<string, CandidateIndex> {
  const out = new Map<string, CandidateIndex>();
  for (const turn of session.turns) {
    const repeats = new Map<string, number>();
    turn.exchanges.forEach((exchange, index) => {
      let dep = out.get(exchange.dependency);
      if (!dep) {
        dep = { dependency: exchange.dependency, all: [], byTurnRoute: new Map(), byRoute: new Map() };
        out.set(exchange.dependency, dep);
      }
      const method = exchange.request.method.toUpperCase();
      const tr = turnRouteKey(turn.index, method, exchange.path);
      const repeat = repeats.get(tr) ?? 0;
      repeats.set(tr, repeat + 1);
      const candidate: Candidate = { turn: turn.index, index, repeat, method, path: exchange.path, exchange, key: bodyKey(exchange.request.body, exchange.llm) };
      dep.all.push(candidate);
      push(dep.byTurnRoute, tr, candidate);
      push(dep.byRoute, routeKey(method, exchange.path), candidate);
    });
  }
  return out;
}
