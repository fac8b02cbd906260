import type { CallEvent } from '../model/index.ts';
import { callEnd, callFailed, callLabel, callMessages, callStart } from './calls.ts';
import type { CascadeSettings } from './cascade.ts';
import type { FindingDraft, ObservedInstance } from './detector.ts';
import { clip } from '../util/text.ts';
import { textOf } from './text.ts';

// Raw error text: transport codes, HTTP status lines, stock reason phrases, stack frames.
const ERROR_SIGNATURE =
  /\b(?:HTTP(?:\/\d(?:\.\d)?)?\s+[45]\d\d\b|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|socket hang up|timed out after|Internal Server Error|Service Unavailable|Bad Gateway|Gateway Timeout|Traceback \(most recent call last\)|at [\w.<>$]+ \([^)\s]*:\d+:\d+\))/gi;

/** Distinctive pieces of what failed calls returned, which should never resurface as data. */
function faultTexts(failed: readonly CallEvent[]): string[] {
  const pieces = new Set<string>();
  for (const call of failed) {
    const sources = [call.error?.message ?? ''];
    if (call.response && call.response.status >= 400) sources.push(textOf(call.response.body));
    for (const source of sources) for (const line of source.split(/\n/)) if (line.trim().length >= 12) pieces.add(line.trim());
  }
  return [...pieces];
}

function requestText(call: CallEvent): string {
  const messages = call.kind === 'llm' ? callMessages(call) : undefined;
  return messages ? messages.map((m) => m.content).join('\n') : textOf(call.request.body);
}

/**
 * Error text of an injected fault that resurfaces in a later LLM request or tool arguments, and
 * side-effect calls (ticket creation, updates, sends) whose arguments carry it. Text the
 * recorded session's requests also carried is not an echo.
 */
export function echoFindings({ id, recorded, data }: ObservedInstance, failed: readonly CallEvent[], options: CascadeSettings): FindingDraft[] {
  const firstEnd = Math.min(...failed.map(callEnd));
  const pieces = faultTexts(failed);
  const sideEffect = new RegExp(options.sideEffectTools, 'i');
  let recordedText: string | undefined;
  const inRecording = (text: string): boolean => {
    recordedText ??= recorded.turns.flatMap((t) => t.exchanges.map((e) => textOf(e.request.body))).join('\n');
    return recordedText.includes(text);
  };
  const drafts = new Map<string, FindingDraft>();
  for (const call of laterCalls(data.calls, failed, firstEnd)) {
    const text = requestText(call);
    const echoed = [...new Set([...[...text.matchAll(ERROR_SIGNATURE)].map((m) => m[0]), ...pieces.filter((p) => text.includes(p))])].filter((e) => !inRecording(e));
    if (echoed.length === 0) continue;
    const label = callLabel(call);
    const isSideEffect = call.kind !== 'llm' && call.request.method.toUpperCase() !== 'GET' && (sideEffect.test(call.name) || sideEffect.test(call.request.url));
    const key = `${isSideEffect ? 'side-effect' : 'error-echo'}:${label}`;
    if (drafts.has(`${call.turn}:${key}`)) continue;
    const source = failed.filter((f) => f !== call && callEnd(f) <= callStart(call) + 1).map(callLabel);
    drafts.set(`${call.turn}:${key}`, {
      instance: id,
      turn: call.turn,
      severity: isSideEffect ? 'critical' : 'high',
      key,
      title: isSideEffect
        ? `turn ${call.turn}: side-effect call ${label} made with arguments built from the error of ${source.at(-1) ?? 'a failed call'}`
        : `turn ${call.turn}: error text of ${source.at(-1) ?? 'a failed call'} echoed into ${call.kind === 'llm' ? 'the LLM request' : `${label} arguments`}`,
      evidence: {
        summary: `After an injected fault on ${[...new Set(source)].join(', ')}, the app sent ${label} a request carrying the raw error (${echoed.map((e) => JSON.stringify(clip(e, 80))).join(', ')}).`,
        call: { dependency: call.dependency, name: call.name, method: call.request.method, callIndex: call.callIndex },
        echoed,
        excerpt: clip(text, 300),
        failedCalls: [...new Set(source)],
      },
    });
  }
  return [...drafts.values()];
}

/**
 * Calls that started after the first failure ended, except failed retries of a failed request.
 * A call that failed itself still counts: a ticket filed with the raw error is a side effect
 * the app attempted, whether or not the same outage then refused it.
 */
function laterCalls(calls: readonly CallEvent[], failed: readonly CallEvent[], after: number): CallEvent[] {
  return calls.filter((c) => callStart(c) >= after - 1 && !isRetryOfFailed(c, failed));
}

function isRetryOfFailed(call: CallEvent, failed: readonly CallEvent[]): boolean {
  return callFailed(call) && failed.some((f) => f !== call && f.dependency === call.dependency && f.name === call.name && textOf(f.request.body) === textOf(call.request.body));
}
