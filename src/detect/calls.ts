import type { InstanceData } from '../journal/journal-reader.ts';
import type { CallEvent, Exchange, LlmMessage, Turn } from '../model/index.ts';
import { parseLlmExchange } from '../wire/llm.ts';

/** An instance's calls grouped by turn, in time order. Calls attributed to no turn are left out. */
export function callsByTurn(data: InstanceData): Map<number, CallEvent[]> {
  const byTurn = new Map<number, CallEvent[]>();
  for (const call of data.calls) {
    if (call.turn === null) continue;
    const list = byTurn.get(call.turn) ?? [];
    list.push(call);
    byTurn.set(call.turn, list);
  }
  return byTurn;
}

/** The request messages of an observed LLM call (parsed by the virtual dependency, or here). */
export function callMessages(call: CallEvent): LlmMessage[] | undefined {
  return (call.llm ?? parseLlmExchange(call.request))?.messages;
}

/** The request messages of a recorded LLM exchange. */
export function exchangeMessages(exchange: Exchange): LlmMessage[] | undefined {
  return (exchange.llm ?? parseLlmExchange(exchange.request, exchange.response))?.messages;
}

export interface LlmPair {
  call: CallEvent;
  /** The recorded exchange this call stands for; undefined when the recording has none. */
  exchange: Exchange | undefined;
}

/**
 * Pairs each observed LLM call of a turn with the recorded exchange it corresponds to: the one
 * the virtual dependency replayed when it says so, else the recorded LLM exchange at the same
 * position (retries of one call keep pointing at the same exchange through `match`).
 */
export function pairLlmCalls(calls: readonly CallEvent[], recordedTurn: Turn | undefined): LlmPair[] {
  const recordedLlm = (recordedTurn?.exchanges ?? []).filter((e) => e.kind === 'llm');
  const llmCalls = calls.filter((c) => c.kind === 'llm');
  return llmCalls.map((call, position) => {
    if (call.match.mode === 'replay' && call.match.exchange.turn === recordedTurn?.index) {
      const exchange = recordedTurn.exchanges[call.match.exchange.index];
      if (exchange?.kind === 'llm') return { call, exchange };
    }
    return { call, exchange: recordedLlm[position] };
  });
}

/**
 * Call timing. The virtual dependency journals a call with `t` = when the request arrived
 * (run-relative milliseconds) and `durationMs` until it answered.
 */
export function callStart(call: CallEvent): number {
  return call.t;
}

export function callEnd(call: CallEvent): number {
  return call.t + call.durationMs;
}

/** True when the app did not get a usable answer: transport error, no response, or a retryable status. */
export function callFailed(call: CallEvent): boolean {
  if (call.error !== undefined || call.response === null) return true;
  const status = call.response.status;
  return status >= 500 || status === 429 || status === 408;
}

/**
 * `dependency/name`: how evidence names a dependency call, and what tells one endpoint from
 * another. Calls are normally named by path or tool (`exchangeName`: `tools/orders/lookup`).
 * A call whose name is just its dependency — a call to the dependency's base URL, or a
 * replayed exchange of a recording made before exchanges were named by path — is labelled by
 * its path under the dependency instead, so two endpoints of one dependency are never taken
 * for one.
 */
export function callLabel(call: Pick<CallEvent, 'dependency' | 'name'> & { request?: Pick<CallEvent['request'], 'url'> }): string {
  if (call.dependency !== call.name) return `${call.dependency}/${call.name}`;
  const path = call.request ? pathUnder(call.request.url, call.dependency) : '';
  return path === '' ? call.name : `${call.dependency}${path}`;
}

/** The URL's path below the dependency's base (`/_deps/<name>`, docs/faults.md), or its whole path. */
function pathUnder(url: string, dependency: string): string {
  if (!URL.canParse(url, 'http://deps.invalid')) return '';
  const path = new URL(url, 'http://deps.invalid').pathname.replace(/\/+$/, '');
  const base = `/_deps/${encodeURIComponent(dependency)}`;
  return path === base || path.startsWith(`${base}/`) ? path.slice(base.length) : path;
}
