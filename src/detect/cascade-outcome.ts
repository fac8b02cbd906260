import type { InstanceData } from '../journal/journal-reader.ts';
import type { CallEvent, Canary, TurnEvent } from '../model/index.ts';
import { callFailed, callLabel, callMessages, exchangeMessages } from './calls.ts';
import type { CascadeSettings } from './cascade.ts';
import type { FindingDraft, NoiseProbe, ObservedInstance } from './detector.ts';
import { SUCCESS_PHRASES, phrasesIn } from './phrases.ts';
import { clip } from '../util/text.ts';
import { canonicalJson, toRecordedSpace } from './text.ts';

/** Endpoints of a turn whose last call failed after a fault: the app never got an answer. */
function failedEndpoints(calls: readonly CallEvent[]): string[] {
  const last = new Map<string, CallEvent>();
  const faulted = new Set<string>();
  for (const call of calls) {
    const label = callLabel(call);
    last.set(label, call);
    if (call.faults.length > 0) faulted.add(label);
  }
  return [...last].filter(([label, call]) => faulted.has(label) && callFailed(call)).map(([label]) => label);
}

/**
 * A success claim on a turn whose dependency failed: in the reply the user saw, or in a tool
 * result the app handed to the model (telling the model a failed call worked). Only claims the
 * recording's reply / tool results at that turn did not make count.
 */
export function falseSuccess({ id, data, recorded }: ObservedInstance, byTurn: Map<number, CallEvent[]>, options: CascadeSettings): FindingDraft[] {
  const phrases = [...SUCCESS_PHRASES, ...options.successPhrases];
  const drafts: FindingDraft[] = [];
  for (const [turn, calls] of byTurn) {
    const failed = failedEndpoints(calls);
    if (failed.length === 0) continue;
    const recordedTurn = recorded.turns[turn];
    const recordedReplyClaims = new Set(phrasesIn(recordedTurn?.output.text ?? '', phrases));
    const replyText = data.turns.find((t) => t.turn === turn)?.reply.text ?? '';
    const replyClaims = phrasesIn(replyText, phrases).filter((p) => !recordedReplyClaims.has(p));
    const recordedToolText = (recordedTurn?.exchanges ?? []).flatMap((e) => (e.kind === 'llm' ? (exchangeMessages(e) ?? []) : [])).filter((m) => m.role === 'tool').map((m) => m.content).join('\n');
    const recordedToolClaims = new Set(phrasesIn(recordedToolText, phrases));
    const toolResults = [...new Set(calls.flatMap((c) => (c.kind === 'llm' ? (callMessages(c) ?? []) : [])).filter((m) => m.role === 'tool').map((m) => m.content))];
    const toolClaims = toolResults.flatMap((content) => phrasesIn(content, phrases).filter((p) => !recordedToolClaims.has(p)).map((phrase) => ({ phrase, content: clip(content, 200) })));
    if (replyClaims.length === 0 && toolClaims.length === 0) continue;
    drafts.push({
      instance: id,
      turn,
      severity: 'high',
      key: 'false-success',
      title: toolClaims.length > 0
        ? `turn ${turn}: the app told the model ${failed.join(', ')} succeeded ("${toolClaims[0]?.phrase}") after it failed`
        : `turn ${turn}: reply claims success ("${replyClaims[0]}") while ${failed.join(', ')} failed`,
      evidence: {
        summary: `${failed.join(', ')} failed under an injected fault, yet ${[replyClaims.length > 0 && `the reply says ${replyClaims.map((p) => `"${p}"`).join(', ')}`, toolClaims.length > 0 && `a tool result given to the model says ${[...new Set(toolClaims.map((c) => `"${c.phrase}"`))].join(', ')}`].filter(Boolean).join(' and ')}; the recording's turn did not.`,
        failedDependencies: failed,
        replyClaims,
        toolClaims,
        reply: clip(replyText, 300),
      },
    });
  }
  return drafts;
}

const failedTurn = (t: TurnEvent | undefined): boolean => t !== undefined && (t.status >= 400 || t.error !== undefined);

/** What a later turn is compared on: structured output (recorded surrogates) and the tools called. */
function turnShape(instance: InstanceData, turn: number): string {
  const event = instance.turns.find((t) => t.turn === turn);
  const tools = instance.calls.filter((c) => c.turn === turn && c.kind === 'tool' && !callFailed(c)).map((c) => c.name);
  return canonicalJson({ structured: recordedSpace(event?.reply.structured, instance.start.canaries), tools: [...new Set(tools)] });
}

function recordedSpace(value: unknown, canaries: readonly Canary[]): unknown {
  return value === undefined ? null : JSON.parse(toRecordedSpace(JSON.stringify(value), canaries));
}

/**
 * Turns after the first faulted one, themselves free of failed faulted calls, that failed, or
 * whose structured output or tool use differ, where the fault-free control replay of the same
 * instance did not — unless the same difference shows between two clean replays (noise).
 */
export function controlDivergence({ id, data }: ObservedInstance, control: InstanceData, failed: readonly CallEvent[], noise: NoiseProbe): FindingDraft[] {
  const faultTurn = Math.min(...failed.map((c) => c.turn ?? Infinity));
  if (!Number.isFinite(faultTurn)) return [];
  // A later turn with its own failed faulted call shows the fault itself, not its carry-over
  // (a fault scoped to a session hits every turn): only fault-free later turns are judged.
  const faultedTurns = new Set(failed.map((c) => c.turn));
  const drafts: FindingDraft[] = [];
  for (const ctrl of control.turns) {
    if (ctrl.turn <= faultTurn || faultedTurns.has(ctrl.turn)) continue;
    const main = data.turns.find((t) => t.turn === ctrl.turn);
    if ((main === undefined || failedTurn(main)) && !failedTurn(ctrl)) {
      drafts.push({
        instance: id,
        turn: ctrl.turn,
        severity: 'high',
        key: 'later-turn-failed',
        title: `turn ${ctrl.turn} ${main === undefined ? 'never ran' : `failed (${main.error ?? `HTTP ${main.status}`})`} after the fault at turn ${faultTurn}; the control replay answered it`,
        evidence: { summary: `The fault at turn ${faultTurn} carried over: turn ${ctrl.turn} ${main === undefined ? 'was not played' : 'failed'} here but succeeded in control instance ${control.start.instance}.`, faultTurn, control: control.start.instance, status: main?.status ?? null, error: main?.error ?? null },
      });
      continue;
    }
    const mainShape = turnShape(data, ctrl.turn);
    const ctrlShape = turnShape(control, ctrl.turn);
    if (mainShape === ctrlShape || noise.varies((inst) => turnShape(inst, ctrl.turn))) continue;
    drafts.push({
      instance: id,
      turn: ctrl.turn,
      severity: 'medium',
      key: 'diverged',
      title: `turn ${ctrl.turn} diverges from the control replay after the fault at turn ${faultTurn}`,
      evidence: { summary: `Structured output or tools used at turn ${ctrl.turn} differ from control instance ${control.start.instance}, which replayed the same session without faults.`, faultTurn, control: control.start.instance, observed: JSON.parse(mainShape) as unknown, expected: JSON.parse(ctrlShape) as unknown },
    });
  }
  return drafts;
}
