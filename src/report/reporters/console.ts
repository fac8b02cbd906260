import { FindingClass } from '../../model/index.ts';
import { formatMs, formatRate, formatGateValue, textTable } from '../format.ts';
import type { Reporter, ReportContext } from '../reporter.ts';
import { describeWarmUp } from '../warm-up.ts';
import { moreFindingsNote, worstFindings } from '../worst-findings.ts';

/** How many findings the console lists with their repro commands. */
const WORST = 5;

/** Prints the summary a CI log reader needs: sessions, findings, gates, latency, worst findings. */
export const consoleReporter: Reporter = {
  onRunEnd(ctx) {
    ctx.out.write(renderConsole(ctx, ctx.out.isTTY === true));
    return undefined;
  },
};

export function renderConsole(ctx: ReportContext, colour: boolean): string {
  const paint = (code: number, s: string) => (colour ? `\u001b[${code}m${s}\u001b[0m` : s);
  const { summary: s, report } = ctx;
  const main = s.sessions.byVariant.main;
  const parts: string[] = [];
  const shards = report.run.shards ? ` (shards ${report.run.shards.included.join(',')} of ${report.run.shards.count})` : '';
  parts.push(`rehearsal run ${report.run.id} — scenario ${report.run.scenario}, seed ${report.run.seed}${shards}${report.run.interrupted ? ' — INTERRUPTED' : ''}`);
  parts.push(
    textTable(
      ['sessions', 'completed', 'failed', 'aborted', 'unfinished', 'turns', 'error rate', 'with findings'],
      [[main.total, main.completed, main.failed, main.aborted, main.unfinished, s.turns.total].map(String).concat(formatRate(s.turns.errorRate), String(s.findings.sessionsWithAny))],
    ),
  );
  parts.push(
    textTable(
      ['finding class', 'findings', 'sessions'],
      FindingClass.options.map((c) => [c, String(s.findings.byClass[c]), String(s.findings.sessionsByClass[c])]),
    ),
  );
  const lat = [
    ['turn', s.latency.turnMs],
    ['ttft', s.latency.ttftMs],
  ] as const;
  parts.push(
    textTable(
      ['latency', 'count', 'p50', 'p90', 'p95', 'p99', 'max'],
      lat.map(([name, l]) => [name, String(l.count), formatMs(l.p50), formatMs(l.p90), formatMs(l.p95), formatMs(l.p99), formatMs(l.max)]),
    ) +
      (s.warmupMs > 0 ? `\n(${s.turns.warmup} warm-up turns in the first ${formatMs(s.warmupMs)} excluded)` : '') +
      (s.warmUp ? `\n${oneLine(describeWarmUp(s.warmUp))}` : ''),
  );
  if (ctx.gates.length > 0) {
    parts.push(
      textTable(
        ['gate', 'value', ''],
        ctx.gates.map((g) => [g.expression, formatGateValue(g.expression, g.value), g.passed ? paint(32, '✓ pass') : paint(31, `✗ FAIL${g.reason ? ` (${g.reason})` : ''}`)]),
      ),
    );
  }
  if (report.findings.length > 0) {
    const listed = worstFindings(report.findings, WORST);
    const worst = listed.map((f) => `  [${f.severity}] ${f.class} ${f.sessionInstance} turn ${f.turn ?? '-'}: ${oneLine(f.title)}\n    ${f.repro}`);
    const note = moreFindingsNote(report.findings, listed);
    const more = note === '' ? '' : `\n  ${note} in report.html / report.json`;
    parts.push(`worst findings:\n${worst.join('\n')}${more}`);
  }
  if (ctx.comparison) {
    const c = ctx.comparison;
    parts.push(
      `against baseline ${c.baselineRunId}: ${c.newFindings.length} new, ${c.fixedFindings.length} fixed findings; ` +
        `p95 turn ${formatMs(c.turnMs.p95.before)} → ${formatMs(c.turnMs.p95.after)}; error rate ${formatRate(c.errorRate.before)} → ${formatRate(c.errorRate.after)}`,
    );
  }
  const verdict = report.passed ? paint(32, 'PASSED') : paint(31, 'FAILED');
  parts.push(ctx.gates.length > 0 ? `gates: ${verdict} (${ctx.gates.filter((g) => g.passed).length}/${ctx.gates.length})` : 'gates: none declared');
  return parts.join('\n\n') + '\n';
}

// Recorded text is untrusted: a title must not move the cursor or fake other lines.
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}
