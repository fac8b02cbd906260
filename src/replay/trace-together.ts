import type { InstanceData } from '../journal/journal-reader.ts';
import type { TogetherAttempt, TogetherResult } from './repro-together.ts';
import { cutText, formatCall } from './trace.ts';

interface Entry {
  at: number;
  label: string;
  text: string[];
}

/**
 * The trace `rehearse repro --with` prints for one attempt: who is who, then one timeline of
 * every instance's sends, dependency calls (at their start) and replies in time order, each
 * line prefixed with the instance (its id without the repro's run tag), then the detectors'
 * findings and, per original finding, whether it came back.
 */
export function formatTogetherTrace(attempt: TogetherAttempt): string {
  const labels = new Map(attempt.members.map((d) => [d.start.instance, shortId(d.start.instance)]));
  const width = Math.max(...[...labels.values()].map((l) => l.length));
  const labelOf = (instance: string | null): string => (instance === null ? '?' : (labels.get(instance) ?? instance)).padEnd(width);
  const originalOf = new Map([...attempt.idOf].map(([original, repro]) => [repro, original]));
  const lines: string[] = [`${attempt.members.length} instances replayed together, each turn at its original send time relative to the earliest, dependency answers in the run's order`];
  for (const d of attempt.members) {
    const s = d.start;
    lines.push(`  ${labelOf(s.instance)}  ${s.instance} (was ${originalOf.get(s.instance) ?? '?'}; recorded ${s.recordedSession}, clone ${s.clone}, ${s.variant}${s.faulted ? ', faulted' : ''})`);
    if (s.canaries.length > 0) lines.push(`  ${' '.repeat(width)}  identities: ${s.canaries.map((c) => `${c.type}=${c.value}`).join(', ')}`);
  }
  lines.push('', 'timeline (ms since t = 0)');
  const entries = [...attempt.members.flatMap((d) => entriesOf(d, labelOf(d.start.instance))), ...attempt.replay.run.unattributedCalls.map((c) => ({ at: c.t - c.durationMs, label: labelOf(null), text: [formatCall(c)] }))];
  // Stable sort: entries at the same instant keep member order, and a turn's send before its calls.
  entries.sort((a, b) => a.at - b.at);
  for (const e of entries) {
    const [first = '', ...rest] = e.text;
    lines.push(`${e.at.toFixed(1).padStart(9)}  ${e.label}  ${first}`);
    for (const more of rest) lines.push(`${' '.repeat(9)}  ${e.label}    ${more}`);
  }
  const findings = attempt.replay.findings;
  lines.push('', findings.length === 0 ? 'detectors: no findings' : `detectors: ${findings.length} finding${findings.length === 1 ? '' : 's'}`);
  for (const f of findings) lines.push(`  [${f.class} ${f.severity}] ${labelOf(f.sessionInstance).trimEnd()} turn ${f.turn ?? '-'}: ${f.title}`);
  if (attempt.matches.length > 0) lines.push('');
  for (const m of attempt.matches) {
    lines.push(`original [${m.original.class} ${m.original.severity}] turn ${m.original.turn ?? '-'}: ${m.original.title}`);
    lines.push(m.found ? `  → reproduced${m.reversed ? ' reversed (the other session reached the shared state first)' : ''}: ${labelOf(m.found.sessionInstance).trimEnd()} ${m.found.title}` : '  → not seen in this replay');
  }
  return lines.join('\n') + '\n';
}

/** The closing verdict: on which attempt the expected findings came back, or that they did not. */
export function formatTogetherVerdict(result: TogetherResult, repeat: number): string {
  const tries = result.attempts.length;
  if (result.expected.length === 0) {
    return 'verdict: the original run has no finding on this instance that these instances can reproduce (a leak needs its owner among them)\n';
  }
  if (result.reproducedOn !== undefined) return `verdict: reproduced on attempt ${result.reproducedOn} of up to ${repeat}\n`;
  if (result.reversedOn !== undefined) {
    return `verdict: reproduced reversed on attempt ${result.reversedOn} of up to ${repeat}: the same two sessions crossed at the same turn, the other one first${repeat === 1 ? ' (--repeat <n> tries for the original direction)' : ''}\n`;
  }
  return `verdict: NOT reproduced in ${tries} attempt${tries === 1 ? '' : 's'}${repeat === 1 ? ' (a timing-dependent leak may need --repeat <n>)' : ''}\n`;
}

function entriesOf(d: InstanceData, label: string): Entry[] {
  const entries: Entry[] = [];
  for (const turn of d.turns) {
    entries.push({ at: turn.sentAt, label, text: [`turn ${turn.turn} sent  user > ${cutText(turn.input, 160)}`] });
    const reply = [`turn ${turn.turn} reply  status ${turn.status}  ${Math.round(turn.latencyMs)} ms  < ${cutText(turn.reply.text, 240)}`];
    if (turn.reply.structured !== undefined) reply.push(`structured ${cutText(JSON.stringify(turn.reply.structured), 240)}`);
    if (turn.error) reply.push(`error: ${turn.error}`);
    entries.push({ at: turn.t, label, text: reply });
  }
  for (const call of d.calls) entries.push({ at: call.t - call.durationMs, label, text: [formatCall(call)] });
  if (d.end) entries.push({ at: d.end.t, label, text: [`session ${d.end.status}${d.end.error ? `: ${d.end.error}` : ''}`] });
  return entries;
}

/** An instance id without the run tag that starts it: `r1a2b3c-s0007-c1` → `s0007-c1`. */
function shortId(instance: string): string {
  const dash = instance.indexOf('-');
  return dash < 0 ? instance : instance.slice(dash + 1);
}
