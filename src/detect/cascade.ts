import type { CallEvent } from '../model/index.ts';
import type { CascadeOptions } from '../scenario/schema.ts';
import { callEnd, callFailed, callLabel, callStart, callsByTurn } from './calls.ts';
import { echoFindings } from './cascade-echo.ts';
import { controlDivergence, falseSuccess } from './cascade-outcome.ts';
import type { Detector, DetectorContext, FindingDraft, ObservedInstance } from './detector.ts';
import type { z } from 'zod';

export type CascadeSettings = z.infer<typeof CascadeOptions>;

/**
 * cascade — what one injected fault turned into.
 *
 * Design note: only instances with an injected fault that made a call fail are examined, and
 * every check is relative: retries are counted per recorded (logical) call, echoed error text
 * and success claims are reported only when the recording at that point did not carry them,
 * and divergence is measured against the fault-free control replay of the same instance.
 * That attributes each finding to the fault rather than to the app's normal behaviour. The
 * checks: retry storms (amplification, or retries without backoff), error text echoed into
 * later LLM requests or tool arguments, side-effect calls built from an error, success claimed
 * while the dependency failed, and later turns failing or diverging from the control.
 */
export function createCascadeDetector(context: DetectorContext, options: CascadeSettings): Detector {
  const drafts: FindingDraft[] = [];

  function observe(observed: ObservedInstance): void {
    const failedFaulted = observed.data.calls.filter((c) => c.faults.length > 0 && callFailed(c));
    if (failedFaulted.length === 0) return;
    const byTurn = callsByTurn(observed.data);
    for (const [turn, calls] of byTurn) drafts.push(...retryStorms(observed, turn, calls, options));
    drafts.push(...echoFindings(observed, failedFaulted, options));
    drafts.push(...falseSuccess(observed, byTurn, options));
    const control = context.control(observed.id);
    if (control) drafts.push(...controlDivergence(observed, control, failedFaulted, context.noise(observed.recorded.id)));
  }

  return { observe, finish: () => drafts };
}

/** Calls of one turn to one dependency endpoint, in start order. */
function groupByEndpoint(calls: readonly CallEvent[]): Map<string, CallEvent[]> {
  const groups = new Map<string, CallEvent[]>();
  for (const call of calls) {
    const key = callLabel(call);
    const list = groups.get(key) ?? [];
    list.push(call);
    groups.set(key, list);
  }
  for (const list of groups.values()) list.sort((a, b) => callStart(a) - callStart(b));
  return groups;
}

function retryStorms({ id, recorded }: ObservedInstance, turn: number, calls: readonly CallEvent[], options: CascadeSettings): FindingDraft[] {
  const drafts: FindingDraft[] = [];
  for (const group of groupByEndpoint(calls).values()) {
    const first = group[0] as CallEvent;
    if (!group.some((c) => c.faults.length > 0 && callFailed(c))) continue;
    const logical = Math.max(1, recorded.turns[turn]?.exchanges.filter((e) => e.dependency === first.dependency && e.name === first.name).length ?? 0);
    const gapsMs: number[] = [];
    for (let i = 1; i < group.length; i++) {
      const prev = group[i - 1] as CallEvent;
      if (callFailed(prev)) gapsMs.push(Math.max(0, Math.round(callStart(group[i] as CallEvent) - callEnd(prev))));
    }
    const noBackoff = gapsMs.filter((g) => g < options.minBackoff).length;
    const perCall = group.length / logical;
    const storm = perCall > options.maxAttemptsPerCall;
    if (!storm && noBackoff <= options.maxRetriesWithoutBackoff) continue;
    const label = callLabel(first);
    drafts.push({
      instance: id,
      turn,
      severity: storm ? 'high' : 'medium',
      key: `retry-storm:${label}`,
      title: storm
        ? `turn ${turn}: ${group.length} calls to failing ${label} for ${logical} recorded call${logical > 1 ? 's' : ''} (retry storm)`
        : `turn ${turn}: ${noBackoff} retries of failing ${label} without backoff`,
      evidence: {
        summary: `${label} failed under an injected fault; the app called it ${group.length} times (recording: ${logical}), ${noBackoff} retr${noBackoff === 1 ? 'y' : 'ies'} less than ${options.minBackoff} ms after a failure.`,
        dependency: first.dependency,
        name: first.name,
        attempts: group.length,
        recordedCalls: logical,
        gapsMs,
        faults: [...new Set(group.flatMap((c) => c.faults.map((f) => f.kind)))],
      },
    });
  }
  return drafts;
}
