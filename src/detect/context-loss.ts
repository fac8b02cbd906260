import type { CallEvent, Canary, Session } from '../model/index.ts';
import type { ContextLossOptions } from '../scenario/schema.ts';
import { callMessages, callsByTurn, exchangeMessages, pairLlmCalls } from './calls.ts';
import type { Detector, DetectorContext, FindingDraft, ObservedInstance } from './detector.ts';
import { factsOf, holds, type Fact } from './facts.ts';
import { clip, squash } from '../util/text.ts';
import { toInstanceSpace, toRecordedSpace } from './text.ts';
import type { z } from 'zod';

/**
 * context_loss — the LLM request the app sends at turn N lacks what the recorded request at
 * turn N carried from earlier turns.
 *
 * Design note: the recording is the oracle. For every observed LLM call of turn N we take the
 * recorded request it stands for, list what that request carried from turns 0..N-1 (each
 * earlier user statement, and the facts in them: identities, ids, numbers), and report what the
 * observed request — rewritten back to recorded surrogates — lacks. Comparing against the
 * recording, not against "all history", means an app that deliberately summarizes is judged by
 * what production actually sent. Facts whose presence differs between two clean replays are
 * noise and ignored. Also reported: a conversation id that changes between turns where the
 * recording kept one.
 */
export function createContextLossDetector(context: DetectorContext, options: z.infer<typeof ContextLossOptions>): Detector {
  const drafts: FindingDraft[] = [];
  const ignored = new Set(options.ignoreFacts);

  function observe({ id, data, recorded }: ObservedInstance): void {
    const canaries = data.start.canaries;
    const byTurn = callsByTurn(data);
    const noise = context.noise(recorded.id);
    for (const [turn, calls] of byTurn) {
      if (turn === 0) continue;
      const recordedTurn = recorded.turns[turn];
      const missingTurns = new Set<number>();
      const missingFacts = new Map<string, Fact>();
      let checkedCall: CallEvent | undefined;
      for (const { call, exchange } of pairLlmCalls(calls, recordedTurn)) {
        const recordedMessages = exchange ? exchangeMessages(exchange) : undefined;
        const observedMessages = callMessages(call);
        if (!recordedMessages || !observedMessages) continue;
        checkedCall ??= call;
        const recordedText = squash(recordedMessages.map((m) => m.content).join('\n'));
        const observedText = squash(toRecordedSpace(observedMessages.map((m) => m.content).join('\n'), canaries));
        for (let k = 0; k < turn; k++) {
          const statement = recorded.turns[k]?.input.text ?? '';
          if (statement.trim() !== '' && holds(recordedText, statement) && !holds(observedText, statement)) missingTurns.add(k);
          for (const fact of factsOf(statement, k, recorded.identities)) {
            if (ignored.has(fact.text) || missingFacts.has(fact.text)) continue;
            if (holds(recordedText, fact.text) && !holds(observedText, fact.text)) missingFacts.set(fact.text, fact);
          }
        }
      }
      for (const [text] of missingFacts) {
        if (noise.varies((inst) => turnCarries(inst.calls, turn, text, inst.start.canaries))) missingFacts.delete(text);
      }
      for (const k of missingTurns) {
        const statement = recorded.turns[k]?.input.text ?? '';
        if (noise.varies((inst) => turnCarries(inst.calls, turn, statement, inst.start.canaries))) missingTurns.delete(k);
      }
      if (missingTurns.size === 0 && missingFacts.size === 0) continue;
      drafts.push(draftFor(id, turn, recorded, canaries, [...missingTurns].sort((a, b) => a - b), [...missingFacts.values()], checkedCall));
    }
    const idChange = conversationIdChange(byTurn, recorded, canaries);
    if (idChange) drafts.push({ instance: id, severity: 'high', ...idChange });
  }

  return { observe, finish: () => drafts };
}

function draftFor(instance: string, turn: number, recorded: Session, canaries: readonly Canary[], missingTurns: number[], facts: Fact[], call: CallEvent | undefined): FindingDraft {
  const shown = facts.map((f) => ({ fact: toInstanceSpace(f.text, canaries), kind: f.kind, ...(f.type ? { type: f.type } : {}), statedAtTurn: f.turn }));
  const factList = shown.map((f) => `${f.fact} (turn ${f.statedAtTurn})`).join(', ');
  const turnList = missingTurns.join(', ');
  const title = facts.length > 0
    ? `turn ${turn} LLM request lacks ${facts.length === 1 ? 'the fact' : `${facts.length} facts`} ${factList} from earlier turns`
    : `turn ${turn} LLM request lacks the user's words of turn${missingTurns.length > 1 ? 's' : ''} ${turnList}`;
  return {
    instance,
    turn,
    severity: facts.length > 0 ? 'high' : 'medium',
    key: 'history',
    title,
    evidence: {
      summary: `The recorded request at turn ${turn} carried ${[turnList && `the user's words of turn(s) ${turnList}`, factList && `the facts ${factList}`].filter(Boolean).join(' and ')}; the request the app sent does not.`,
      missingTurns: missingTurns.map((k) => ({ turn: k, input: clip(toInstanceSpace(recorded.turns[k]?.input.text ?? '', canaries)) })),
      missingFacts: shown,
      ...(call ? { call: { dependency: call.dependency, name: call.name, callIndex: call.callIndex, messages: callMessages(call)?.length ?? 0 } } : {}),
    },
  };
}

function turnCarries(calls: readonly CallEvent[], turn: number, needle: string, canaries: readonly Canary[]): boolean {
  const first = calls.find((c) => c.turn === turn && c.kind === 'llm');
  const messages = first ? callMessages(first) : undefined;
  return messages !== undefined && holds(squash(toRecordedSpace(messages.map((m) => m.content).join('\n'), canaries)), needle);
}

const CONVERSATION_KEYS = ['conversation', 'conversation_id', 'thread_id', 'session_id'] as const;

/** The conversation id an LLM request body names, if any (top level or in `metadata`). */
function conversationId(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  for (const source of [record, record.metadata]) {
    if (source === null || typeof source !== 'object') continue;
    for (const key of CONVERSATION_KEYS) {
      const value = (source as Record<string, unknown>)[key];
      if (typeof value === 'string' && value !== '') return value;
      if (value !== null && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') return (value as { id: string }).id;
    }
  }
  return undefined;
}

function conversationIdChange(byTurn: Map<number, CallEvent[]>, recorded: Session, canaries: readonly Canary[]): Omit<FindingDraft, 'instance' | 'severity'> | undefined {
  const recordedIds = new Set(recorded.turns.flatMap((t) => t.exchanges.filter((e) => e.kind === 'llm').map((e) => conversationId(e.request.body)).filter((v) => v !== undefined)));
  if (recordedIds.size !== 1) return undefined;
  let first: { turn: number; id: string } | undefined;
  for (const turn of [...byTurn.keys()].sort((a, b) => a - b)) {
    for (const call of byTurn.get(turn) ?? []) {
      if (call.kind !== 'llm') continue;
      const raw = conversationId(call.request.body);
      if (raw === undefined) continue;
      const value = toRecordedSpace(raw, canaries);
      if (!first) first = { turn, id: value };
      else if (value !== first.id) {
        return {
          turn,
          key: 'conversation-id',
          title: `turn ${turn} LLM request switches conversation id (${raw}) where the recording kept one`,
          evidence: { summary: `Turn ${first.turn} used conversation ${toInstanceSpace(first.id, canaries)}, turn ${turn} used ${raw}; the recording used one id for the whole session.`, firstTurn: first.turn, before: toInstanceSpace(first.id, canaries), after: raw },
        };
      }
    }
  }
  return undefined;
}
