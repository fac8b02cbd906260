import type { Candidate, CandidateIndex } from './candidates.ts';
import { routeKey, turnRouteKey } from './candidates.ts';
import { compareBodies, type BodyKey, type Similarity } from './similarity.ts';

/** A live call, as the matcher sees it. */
export interface CallToMatch {
  /** Null when the call could be attributed to an instance but not to a turn. */
  turn: number | null;
  method: string;
  path: string;
  /** n-th call with this method and path in the turn (0-based): the order counter. */
  repeat: number;
  key: BodyKey;
}

export type MatchResult =
  | { type: 'hit'; candidate: Candidate; reason: string }
  | { type: 'miss'; nearest?: { turn: number; index: number; why: string } };

/** Below this body similarity, a recorded call does not answer for another turn or an extra repeat. */
export const SIMILAR_ENOUGH = 0.5;

const fmt = (s: Similarity): string => s.score.toFixed(2);

function mostSimilar(call: CallToMatch, list: readonly Candidate[]): { candidate: Candidate; similarity: Similarity } | undefined {
  let best: { candidate: Candidate; similarity: Similarity } | undefined;
  for (const candidate of list) {
    const similarity = compareBodies(call.key, candidate.key);
    if (!best || similarity.score > best.similarity.score) best = { candidate, similarity };
  }
  return best;
}

/**
 * Finds the recorded exchange that answers a call.
 *
 * Design note — the order, first that applies:
 * 1. sequence: the same turn, method and path, and the same repeat (the n-th such call in the
 *    turn answers with the n-th recorded one, bodies not compared, like Polly's order
 *    counter: an app whose prompt drifted still gets its recorded answer, and the detectors
 *    judge the drift);
 * 2. repeat beyond the recorded count (retries, loops): the most similar recorded call of the
 *    same route in that turn, if its body is similar enough (a retry resends the same body),
 *    with a reason saying it was reused; otherwise not this step — an extra call that asks
 *    something new is not silently answered with an old answer;
 * 3. nearest turn: the same route in the closest other turn whose body is similar enough (a
 *    call attributed to the wrong turn by time);
 * 4. miss, with the nearest candidate and why it did not match.
 * Similarity compares LLM calls by their conversation tail and other calls by JSON leaves,
 * ignoring `VOLATILE_FIELDS`.
 */
export function match(call: CallToMatch, candidates: CandidateIndex | undefined): MatchResult {
  if (!candidates || candidates.all.length === 0) return { type: 'miss' };
  const route = routeKey(call.method, call.path);
  const inTurn = call.turn === null ? [] : (candidates.byTurnRoute.get(turnRouteKey(call.turn, call.method, call.path)) ?? []);

  const sequenced = inTurn[call.repeat];
  if (sequenced) return { type: 'hit', candidate: sequenced, reason: `sequence: ${route} #${call.repeat + 1} of turn ${sequenced.turn} (recorded as call ${sequenced.index})` };

  const reused = mostSimilar(call, inTurn);
  if (reused && reused.similarity.score >= SIMILAR_ENOUGH) {
    const c = reused.candidate;
    return {
      type: 'hit',
      candidate: c,
      reason: `repeat ${call.repeat + 1} of ${route} beyond the ${inTurn.length} recorded in turn ${c.turn}: reused turn ${c.turn} call ${c.index} (body similarity ${fmt(reused.similarity)})`,
    };
  }

  const others = (candidates.byRoute.get(route) ?? []).filter((c) => c.turn !== call.turn);
  const distance = (c: Candidate): number => (call.turn === null ? 0 : Math.abs(c.turn - call.turn));
  let nearest: { candidate: Candidate; similarity: Similarity } | undefined;
  for (const candidate of others) {
    const similarity = compareBodies(call.key, candidate.key);
    if (similarity.score < SIMILAR_ENOUGH) continue;
    if (!nearest || distance(candidate) < distance(nearest.candidate) || (distance(candidate) === distance(nearest.candidate) && similarity.score > nearest.similarity.score)) {
      nearest = { candidate, similarity };
    }
  }
  if (nearest) {
    const c = nearest.candidate;
    const here = call.turn === null ? 'the call has no turn' : `turn ${call.turn} has ${inTurn.length === 0 ? 'no such call' : `only ${inTurn.length}`}`;
    return { type: 'hit', candidate: c, reason: `nearest turn: turn ${c.turn} call ${c.index} (${here}; body similarity ${fmt(nearest.similarity)})` };
  }
  return { type: 'miss', nearest: explainMiss(call, candidates, inTurn) };
}

/** The closest candidate to a missed call and, in words, why it was not taken. */
function explainMiss(call: CallToMatch, candidates: CandidateIndex, inTurn: readonly Candidate[]): { turn: number; index: number; why: string } {
  const sameRoute = mostSimilar(call, inTurn.length > 0 ? inTurn : (candidates.byRoute.get(routeKey(call.method, call.path)) ?? []));
  if (sameRoute) {
    const c = sameRoute.candidate;
    const count = inTurn.length > 0 ? `turn ${c.turn} records only ${inTurn.length} ${routeKey(call.method, call.path)} call(s) and ` : '';
    return {
      turn: c.turn,
      index: c.index,
      why: `${count}turn ${c.turn} call ${c.index} has path ${c.path} but body differs in ${sameRoute.similarity.differsAt ?? 'the body'} (similarity ${fmt(sameRoute.similarity)} < ${SIMILAR_ENOUGH})`,
    };
  }
  const turnOf = (c: Candidate): number => (call.turn === null ? 0 : Math.abs(c.turn - call.turn));
  const closest = candidates.all.reduce((a, b) => (turnOf(b) < turnOf(a) ? b : a));
  return {
    turn: closest.turn,
    index: closest.index,
    why: `turn ${closest.turn} call ${closest.index} is ${routeKey(closest.method, closest.path)}, not ${routeKey(call.method, call.path)}`,
  };
}
