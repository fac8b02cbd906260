import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FindingClass, type Finding } from '../../model/index.ts';
import { codeBlock, codeSpan, escapeMarkdown as md, formatMs, formatRate, formatGateValue, markdownTable } from '../format.ts';
import type { Reporter, ReportContext } from '../reporter.ts';
import { describeWarmUp } from '../warm-up.ts';
import { moreFindingsNote, worstFindings } from '../worst-findings.ts';

/** Findings listed in full; the rest are counted (a PR comment has a size limit). */
const LISTED = 10;

/** `summary.md`: for `$GITHUB_STEP_SUMMARY` or a PR comment. */
export const markdownReporter: Reporter = {
  async onRunEnd(ctx) {
    const path = join(ctx.runDir, 'summary.md');
    await writeFile(path, renderMarkdown(ctx));
    return path;
  },
};

export function renderMarkdown(ctx: ReportContext): string {
  const { report, summary: s } = ctx;
  const main = s.sessions.byVariant.main;
  const out: string[] = [];
  const verdict = ctx.gates.length === 0 ? 'no gates' : report.passed ? '✅ passed' : '❌ failed';
  out.push(`## rehearsal · ${md(report.run.scenario)} · ${verdict}`);
  const shards = report.run.shards ? ` · shards ${report.run.shards.included.join(', ')} of ${report.run.shards.count}` : '';
  out.push(`Run ${codeSpan(report.run.id)} · seed ${codeSpan(report.run.seed)}${shards}${report.run.interrupted ? ' · **interrupted**' : ''}`);
  if (ctx.gates.length > 0) {
    out.push(markdownTable(['', 'gate', 'value'], ctx.gates.map((g) => [g.passed ? '✅' : '❌', codeSpan(g.expression, true), md(g.reason ?? formatGateValue(g.expression, g.value))])));
  }
  out.push(
    markdownTable(
      ['sessions', 'completed', 'failed', 'aborted', 'turns', 'error rate', 'p50', 'p95', 'p99', 'TTFT p95'],
      [[String(main.total), String(main.completed), String(main.failed), String(main.aborted), String(s.turns.total), formatRate(s.turns.errorRate), formatMs(s.latency.turnMs.p50), formatMs(s.latency.turnMs.p95), formatMs(s.latency.turnMs.p99), formatMs(s.latency.ttftMs.p95)]],
    ),
  );
  const warm = [
    ...(s.warmupMs > 0 ? [`${s.turns.warmup} warm-up turns in the first ${formatMs(s.warmupMs)} excluded from latency`] : []),
    ...(s.warmUp ? [describeWarmUp(s.warmUp)] : []),
  ];
  if (warm.length > 0) out.push(warm.map(md).join(' · '));
  const classes = FindingClass.options.filter((c) => s.findings.byClass[c] > 0);
  if (classes.length > 0) {
    out.push('### Findings by class and segment');
    const rows = s.segments.filter((seg) => seg.sessionsWithFindings > 0 || seg.failing > 0);
    out.push(
      markdownTable(
        ['segment', 'sessions', 'failing', ...classes],
        [
          ['**all**', String(main.total), String(s.findings.sessionsWithAny), ...classes.map((c) => String(s.findings.byClass[c]))],
          ...rows.map((seg) => [md(`${seg.key}=${seg.value}`), String(seg.sessions), formatRate(seg.sessions === 0 ? null : seg.failing / seg.sessions), ...classes.map((c) => String(seg.findings[c]))]),
        ],
      ),
    );
    out.push('### Worst findings');
    const listed = worstFindings(report.findings, LISTED);
    out.push(
      listed
        .map((f) => `- **${f.severity}** ${codeSpan(f.class)} ${md(f.sessionInstance)} turn ${f.turn ?? '–'}: ${md(f.title)}\n${indent(codeBlock(f.repro.replace(/\n/g, ' '), 'sh'))}`)
        .join('\n') + moreNote(report.findings, listed),
    );
  } else {
    out.push('No findings.');
  }
  if (ctx.comparison) {
    const c = ctx.comparison;
    out.push(`### Against baseline ${codeSpan(c.baselineRunId)}`);
    out.push(
      `${c.newFindings.length} new, ${c.fixedFindings.length} fixed findings · p95 turn ${formatMs(c.turnMs.p95.before)} → ${formatMs(c.turnMs.p95.after)} · error rate ${formatRate(c.errorRate.before)} → ${formatRate(c.errorRate.after)}`,
    );
    if (c.newFindings.length > 0) out.push(c.newFindings.slice(0, LISTED).map((f) => `- new: ${codeSpan(f.class)} ${md(f.recordedSession)} turn ${f.turn ?? '–'}: ${md(f.title)}`).join('\n'));
    if (c.fixedFindings.length > 0) out.push(c.fixedFindings.slice(0, LISTED).map((f) => `- fixed: ${codeSpan(f.class)} ${md(f.recordedSession)} turn ${f.turn ?? '–'}: ${md(f.title)}`).join('\n'));
  }
  return out.join('\n\n') + '\n';
}

/** Indents a block under a list item. */
function indent(block: string): string {
  return block.replace(/^/gm, '  ');
}

function moreNote(all: readonly Finding[], listed: readonly Finding[]): string {
  const note = moreFindingsNote(all, listed);
  return note === '' ? '' : `\n\n${md(note)} (see report.html).`;
}
