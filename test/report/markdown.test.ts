import { describe, expect, it } from 'vitest';
import { groupJournal } from '../../src/journal/journal-reader.ts';
import { buildReport } from '../../src/report/report-model.ts';
import { codeBlock, codeSpan } from '../../src/report/format.ts';
import { evaluateGates } from '../../src/report/gates.ts';
import { renderMarkdown } from '../../src/report/reporters/markdown.ts';
import { summarize } from '../../src/report/summary.ts';
import { buildJournal, type JournalSpec } from './journal-fixture.ts';

/** summary.md of a journal built from `spec`, with `gates` evaluated. */
function markdownOf(spec: JournalSpec, gates: string[]): string {
  const run = groupJournal(buildJournal(spec));
  const summary = summarize(run);
  const results = evaluateGates(gates, summary);
  const report = buildReport({ run, summary, gates: results, comparison: undefined, runDir: 'runs/x' });
  return renderMarkdown({ run, summary, gates: results, comparison: undefined, report, runDir: 'runs/x', out: process.stdout });
}

describe('Markdown code spans', () => {
  it('keep their content literal: nothing escaped inside backticks', () => {
    expect(codeSpan('rate(context_loss) < 0.01')).toBe('`rate(context_loss) < 0.01`');
  });

  it('take a longer fence around backticks, padded when the content starts or ends with one', () => {
    expect(codeSpan('a `b` c')).toBe('``a `b` c``');
    expect(codeSpan('x ``y`` z')).toBe('```x ``y`` z```');
    expect(codeSpan('`edge')).toBe('`` `edge ``');
    expect(codeBlock('echo ```', 'sh')).toBe('````sh\necho ```\n````');
  });

  it('escape only a pipe inside a table cell (the one escape GFM strips there)', () => {
    expect(codeSpan('a | b', true)).toBe('`a \\| b`');
    expect(codeSpan('a | b')).toBe('`a | b`');
  });

  it('summary.md shows gate expressions unescaped, recorded text outside code spans escaped', () => {
    const md = markdownOf(
      { instances: [{ instance: 'a~c0', latencies: [100, 200], findings: [{ class: 'context_loss', turn: 1, title: 'lost *bold* <b>x</b>' }] }] },
      ['rate(context_loss) < 0.01', 'p95(turn_ms) < 4000'],
    );
    expect(md).toContain('| ❌ | `rate(context_loss) < 0.01` |');
    expect(md).toMatch(/\| ✅ \| `p95\(turn_ms\) < 4000` \| \d+ ms \|/);
    expect(md).not.toMatch(/`[^`\n]*\\[^`\n]*`/);
    expect(md).toContain('lost \\*bold\\* \\<b\\>x\\</b\\>');
  });
});

describe('Worst findings in summary.md', () => {
  it('lists every class before a noisy instance repeats, and counts the rest', () => {
    const noisy = Array.from({ length: 12 }, (_, i) => ({ class: 'leakage' as const, turn: i, severity: 'critical' as const }));
    const md = markdownOf(
      {
        instances: [
          { instance: 'a~c0', latencies: Array.from({ length: 12 }, () => 100), findings: noisy },
          { instance: 'b~c0', latencies: [100], findings: [{ class: 'cascade', turn: 0, severity: 'low' }] },
        ],
      },
      [],
    );
    const listed = md.split('### Worst findings')[1]?.match(/^- \*\*\w+\*\* `\w+`/gm) ?? [];
    expect(listed).toHaveLength(10);
    expect(listed.filter((l) => l.includes('`cascade`'))).toHaveLength(1);
    expect(md).toContain('… and 3 more (see report.html).');
  });
});
