import type { InstanceData } from '../journal/journal-reader.ts';
import type { CallEvent, Finding } from '../model/index.ts';

/** `text` cut to `max` characters, saying how long it was; unlike `util/text` `clip` it keeps line breaks (a trace shows inputs as typed). */
export const cutText = (text: string, max = 400): string => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

/**
 * The turn-by-turn trace `rehearse repro` prints: each turn's input and reply, every
 * dependency call with how it was matched and which faults hit it, then each detector verdict.
 */
export function formatTrace(data: InstanceData, findings: readonly Finding[], original?: readonly Finding[]): string {
  const lines: string[] = [];
  const s = data.start;
  lines.push(`instance ${s.instance}  (recorded ${s.recordedSession}, clone ${s.clone}, ${s.variant}${s.faulted ? ', faulted' : ''})`);
  if (s.canaries.length > 0) lines.push(`identities: ${s.canaries.map((c) => `${c.type}=${c.value}`).join(', ')}`);
  const callsByTurn = new Map<number | null, CallEvent[]>();
  for (const call of data.calls) callsByTurn.set(call.turn, [...(callsByTurn.get(call.turn) ?? []), call]);
  for (const turn of data.turns) {
    lines.push('');
    lines.push(`turn ${turn.turn}  status ${turn.status}  ${Math.round(turn.latencyMs)} ms${turn.ttftMs === undefined ? '' : `  ttft ${Math.round(turn.ttftMs)} ms`}`);
    lines.push(`  user  > ${cutText(turn.input)}`);
    lines.push(`  reply < ${cutText(turn.reply.text)}`);
    if (turn.reply.structured !== undefined) lines.push(`  structured ${cutText(JSON.stringify(turn.reply.structured))}`);
    if (turn.error) lines.push(`  error: ${turn.error}`);
    for (const call of callsByTurn.get(turn.turn) ?? []) lines.push(`  ${formatCall(call)}`);
  }
  const stray = callsByTurn.get(null) ?? [];
  if (stray.length > 0) {
    lines.push('', 'calls outside any turn:');
    for (const call of stray) lines.push(`  ${formatCall(call)}`);
  }
  if (data.end) lines.push('', `session ${data.end.status}${data.end.error ? `: ${data.end.error}` : ''}`);
  lines.push('', findings.length === 0 ? 'detectors: no findings' : `detectors: ${findings.length} finding${findings.length === 1 ? '' : 's'}`);
  for (const f of findings) lines.push(`  [${f.class} ${f.severity}] turn ${f.turn ?? '-'}: ${f.title}`);
  if (original !== undefined) lines.push(`original run: ${original.length} finding${original.length === 1 ? '' : 's'} for this instance${original.length ? ` (${[...new Set(original.map((f) => f.class))].join(', ')})` : ''}`);
  return lines.join('\n') + '\n';
}

/** One dependency call on one line: request, outcome, duration, how it was matched, faults applied. */
export function formatCall(call: CallEvent): string {
  const m = call.match;
  const match =
    m.mode === 'replay' ? `replay t${m.exchange.turn}#${m.exchange.index} (${m.reason})` : m.mode === 'proxy' ? `proxy → ${m.upstream}` : `UNMATCHED (${m.policy})${m.nearest ? ` nearest t${m.nearest.turn}#${m.nearest.index}: ${m.nearest.why}` : ''}`;
  const faults = call.faults.length === 0 ? '' : `  faults: ${call.faults.map((f) => `${f.kind}#${f.rule} ${JSON.stringify(f.detail)}`).join('; ')}`;
  const outcome = call.error ? `${call.error.code}` : call.response ? `${call.response.status}` : '-';
  return `call ${call.dependency}/${call.name} #${call.callIndex}  ${call.request.method} ${call.request.url} → ${outcome} ${Math.round(call.durationMs)} ms  ${match}${faults}`;
}
