import type { InstanceData } from '../journal/journal-reader.ts';
import type { AppliedFault, CallEvent, Canary, Turn } from '../model/index.ts';
import type { LatencyCollapseOptions } from '../scenario/schema.ts';
import { callFailed, callLabel, callsByTurn } from './calls.ts';
import type { Detector, DetectorContext, FindingDraft, ObservedInstance } from './detector.ts';
import { canonicalJson, toRecordedSpace } from './text.ts';
import type { z } from 'zod';

type Options = z.infer<typeof LatencyCollapseOptions>;

/**
 * latency_collapse — turn time that follows injected dependency latency, turns over budget,
 * and duplicated work.
 *
 * Design note: an app with a timeout on an optional dependency (retrieval, a lookup) cuts the
 * slow call short and answers anyway; one without waits the whole injected delay and the turn
 * grows by it. So the finding needs both: the call lasted at least `waitFraction` of the
 * injected delay, and so did the turn. Delays under `minInjected` are skipped (a timeout could
 * not be told apart). LLM calls are not optional by default: waiting for the model is normal.
 * Duplicated work is the same request (same body, recorded surrogates) made more often in a
 * turn than the recording made it, retries of failed calls excluded.
 */
export function createLatencyCollapseDetector(context: DetectorContext, options: Options): Detector {
  const drafts: FindingDraft[] = [];

  function observe({ id, data, recorded }: ObservedInstance): void {
    const byTurn = callsByTurn(data);
    const noise = context.noise(recorded.id);
    for (const turn of data.turns) {
      if (options.turnBudget !== undefined && turn.latencyMs > options.turnBudget) {
        drafts.push({
          instance: id,
          turn: turn.turn,
          severity: 'medium',
          key: 'budget',
          title: `turn ${turn.turn} took ${Math.round(turn.latencyMs)} ms, over the ${options.turnBudget} ms budget`,
          evidence: { summary: `Turn ${turn.turn} answered after ${Math.round(turn.latencyMs)} ms (budget ${options.turnBudget} ms; recorded ${Math.round(recorded.turns[turn.turn]?.output.latencyMs ?? 0)} ms).`, latencyMs: turn.latencyMs, budgetMs: options.turnBudget },
        });
      }
    }
    for (const [turnIndex, calls] of byTurn) {
      // A turn the session never finished has no turn event: it stalled for good.
      const turn = data.turns.find((t) => t.turn === turnIndex);
      const turnMs = turn?.latencyMs ?? Infinity;
      for (const call of calls) {
        const injected = injectedDelay(call);
        if (injected === undefined || injected < options.minInjected || !options.optionalKinds.includes(call.kind)) continue;
        const waitedWholeDelay = call.durationMs >= options.waitFraction * injected;
        const turnStalled = turnMs >= options.waitFraction * injected || turn?.error !== undefined;
        if (!waitedWholeDelay || !turnStalled) continue;
        const label = callLabel(call);
        drafts.push({
          instance: id,
          turn: turnIndex,
          severity: 'high',
          key: `waited:${label}`,
          title: `turn ${turnIndex} waited ${Math.round(call.durationMs)} ms on slow ${label} (injected ${Math.round(injected)} ms): no timeout`,
          evidence: {
            summary: `${label} was delayed by ${Math.round(injected)} ms; the app waited ${Math.round(call.durationMs)} ms for it and the turn ${turn ? `took ${Math.round(turnMs)} ms` : 'never finished'}, although a ${call.kind} call is one the app can answer without (recorded: ${Math.round(recordedDuration(recorded.turns[turnIndex], call) ?? 0)} ms).`,
            dependency: call.dependency,
            name: call.name,
            injectedMs: injected,
            callMs: call.durationMs,
            turnMs: turn?.latencyMs ?? null,
            faults: call.faults.map((f) => f.kind),
          },
        });
      }
      drafts.push(...duplicates(id, turnIndex, calls, recorded.turns[turnIndex], data.start.canaries, (key) => noise.varies((inst) => countOf(inst, turnIndex, key))));
    }
  }

  return { observe, finish: () => drafts };
}

/** The delay a latency or hang fault put on a call, from its detail (`ms`, `delayMs`). */
export function injectedDelay(call: CallEvent): number | undefined {
  let total: number | undefined;
  for (const fault of call.faults) {
    if (fault.kind !== 'latency' && fault.kind !== 'hang') continue;
    const ms = delayOf(fault);
    if (ms !== undefined) total = (total ?? 0) + ms;
  }
  return total;
}

function delayOf(fault: AppliedFault): number | undefined {
  for (const key of ['ms', 'delayMs', 'latencyMs']) {
    const value = fault.detail[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
}

function recordedDuration(turn: Turn | undefined, call: CallEvent): number | undefined {
  return turn?.exchanges.find((e) => e.dependency === call.dependency && e.name === call.name)?.durationMs;
}

function requestKey(call: CallEvent, canaries: readonly Canary[]): string {
  return `${call.dependency}\u0000${call.name}\u0000${toRecordedSpace(canonicalJson(call.request.body), canaries)}`;
}

/** Successful first attempts per request key: retries of a failed identical call do not count. */
function firstAttempts(calls: readonly CallEvent[], canaries: readonly Canary[]): Map<string, CallEvent[]> {
  const byKey = new Map<string, CallEvent[]>();
  const failedKeys = new Set<string>();
  for (const call of calls) {
    const key = requestKey(call, canaries);
    if (!failedKeys.has(key) && !callFailed(call)) byKey.set(key, [...(byKey.get(key) ?? []), call]);
    if (callFailed(call)) failedKeys.add(key);
  }
  return byKey;
}

function countOf(instance: InstanceData, turn: number, key: string): number {
  return firstAttempts(instance.calls.filter((c) => c.turn === turn), instance.start.canaries).get(key)?.length ?? 0;
}

function duplicates(instance: string, turn: number, calls: readonly CallEvent[], recordedTurn: Turn | undefined, canaries: readonly Canary[], noisy: (key: string) => boolean): FindingDraft[] {
  const recordedCounts = new Map<string, number>();
  for (const e of recordedTurn?.exchanges ?? []) {
    const key = `${e.dependency}\u0000${e.name}\u0000${canonicalJson(e.request.body)}`;
    recordedCounts.set(key, (recordedCounts.get(key) ?? 0) + 1);
  }
  const drafts: FindingDraft[] = [];
  for (const [key, list] of firstAttempts(calls, canaries)) {
    const expected = recordedCounts.get(key) ?? 1;
    if (list.length <= expected || noisy(key)) continue;
    const label = callLabel(list[0] as CallEvent);
    drafts.push({
      instance,
      turn,
      severity: 'medium',
      key: `duplicate:${label}`,
      title: `turn ${turn} made the same ${label} call ${list.length} times (recording: ${expected})`,
      evidence: { summary: `Identical requests to ${label} were sent ${list.length} times in turn ${turn}, none a retry of a failure; the recording made it ${expected} time(s).`, dependency: list[0]?.dependency, name: list[0]?.name, count: list.length, recordedCount: expected },
    });
  }
  return drafts;
}
