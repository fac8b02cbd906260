import type { InstanceData } from '../journal/journal-reader.ts';
import type { CallEvent, Canary } from '../model/index.ts';
import type { LeakageOptions } from '../scenario/schema.ts';
import { callLabel, callMessages } from './calls.ts';
import type { Detector, DetectorContext, FindingDraft, ObservedInstance } from './detector.ts';
import { clip } from '../util/text.ts';
import { textOf } from './text.ts';
import type { z } from 'zod';

interface Owner {
  instance: string;
  canary: Canary;
}

interface Hit {
  where: string;
  type: string;
  value: string;
  excerpt: string;
}

/**
 * leakage — an identity (canary) of another session instance appears in this instance's reply,
 * LLM request, tool arguments or retrieval query.
 *
 * Design note: replay gives every instance fresh identities, unique within the run, so any
 * foreign canary in an instance's traffic is proof of crossed sessions — no heuristics, no
 * thresholds. Instances of one shadow group (a main instance, its control and baselines) are
 * the same user and never leak to each other. All canaries go into one alternation regex
 * (longest first, whole tokens only) so the scan stays linear in the traffic, whatever the
 * number of instances. Canaries shorter than `minCanaryLength` are skipped: a two-letter
 * surrogate would match by chance. A finding's repro replays the instance together with the
 * owner (`--with`), at the run's relative timing, since a leak needs both sessions.
 */
export function createLeakageDetector(context: DetectorContext, options: z.infer<typeof LeakageOptions>): Detector {
  const owners = new Map<string, Owner[]>();
  for (const [id, data] of context.run.instances) {
    for (const canary of data.start.canaries) {
      if (canary.value.length < options.minCanaryLength) continue;
      const list = owners.get(canary.value) ?? [];
      list.push({ instance: id, canary });
      owners.set(canary.value, list);
    }
  }
  const values = [...owners.keys()].sort((a, b) => b.length - a.length);
  const pattern = values.length === 0 ? undefined : new RegExp(`(?<![\\p{L}\\p{N}])(?:${values.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'gu');
  const groupOf = (id: string): string => context.run.instances.get(id)?.start.shadowOf ?? id;
  // Each shadow group's instances, its main first (the run's instance order puts each shadow after its main).
  const groups = new Map<string, string[]>();
  for (const id of context.run.instances.keys()) {
    const members = groups.get(groupOf(id));
    if (members) members.push(id);
    else groups.set(groupOf(id), [id]);
  }
  const membersOf = (group: string): string[] => (groups.get(group) ?? [group]).toSorted((a, b) => Number(a !== group) - Number(b !== group));
  const drafts: FindingDraft[] = [];

  function observe({ id, data }: ObservedInstance): void {
    if (!pattern) return;
    const own = new Set(data.start.canaries.map((c) => c.value));
    const group = groupOf(id);
    // owner's shadow group (its main instance) → turn → hits. Keyed by group, not instance: a
    // control or baseline replays the same user with the same canaries, so one leaked identity
    // would otherwise be reported once per shadow.
    const leaks = new Map<string, Map<number | null, Hit[]>>();
    const scan = (text: string, where: string, turn: number | null): void => {
      for (const m of text.matchAll(pattern)) {
        if (own.has(m[0])) continue;
        for (const owner of owners.get(m[0]) ?? []) {
          const ownerGroup = groupOf(owner.instance);
          if (ownerGroup === group) continue;
          const byTurn = leaks.get(ownerGroup) ?? new Map<number | null, Hit[]>();
          const hits = byTurn.get(turn) ?? [];
          if (!hits.some((h) => h.where === where && h.value === m[0])) {
            hits.push({ where, type: owner.canary.type, value: m[0], excerpt: clip(text.slice(Math.max(0, (m.index ?? 0) - 60), (m.index ?? 0) + m[0].length + 60)) });
          }
          byTurn.set(turn, hits);
          leaks.set(ownerGroup, byTurn);
        }
      }
    };
    for (const turn of data.turns) scan(`${turn.reply.text}\n${textOf(turn.reply.structured)}`, 'reply', turn.turn);
    for (const call of data.calls) scan(callText(call), placeOf(call), call.turn);
    for (const [other, byTurn] of leaks) {
      for (const [turn, hits] of byTurn) drafts.push(draftFor(id, data, other, membersOf(other), turn, hits));
    }
  }

  return { observe, finish: () => drafts };
}

function callText(call: CallEvent): string {
  const messages = call.kind === 'llm' ? callMessages(call) : undefined;
  return messages ? messages.map((m) => `${m.content}\n${(m.toolCalls ?? []).map((t) => t.arguments).join('\n')}`).join('\n') : textOf(call.request.body);
}

function placeOf(call: CallEvent): string {
  if (call.kind === 'llm') return `LLM request (${callLabel(call)})`;
  if (call.kind === 'tool') return `tool arguments (${callLabel(call)})`;
  if (call.kind === 'retrieval') return `retrieval query (${callLabel(call)})`;
  return `request to ${callLabel(call)}`;
}

function draftFor(instance: string, data: InstanceData, other: string, otherGroup: readonly string[], turn: number | null, hits: Hit[]): FindingDraft {
  const types = [...new Set(hits.map((h) => h.type))].join(', ');
  const places = [...new Set(hits.map((h) => h.where))];
  return {
    instance,
    turn,
    severity: 'critical',
    key: `from:${other}`,
    title: `${turn === null ? 'session' : `turn ${turn}`} ${places[0]}${places.length > 1 ? ` (+${places.length - 1} more)` : ''} carries the ${types} of session instance ${other}`,
    evidence: {
      summary: `Identities given only to instance ${other} appeared in instance ${instance} (recorded session ${data.start.recordedSession}): ${hits.map((h) => `${h.type} ${h.value} in ${h.where}`).join('; ')}.`,
      seenIn: instance,
      owner: other,
      hits,
    },
    // The leak comes from the sessions interleaving: replaying this instance alone cannot show it.
    // The owner's whole shadow group goes along: its control replays the same user with the same
    // identities, and may be the one whose traffic actually crossed (the detector cannot tell).
    reproWith: otherGroup,
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
