/** Formatting shared by the text reporters. */

/** `812 ms`, `4.21 s`, `–` for no data. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** `3.2%`, `–` for no data. */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '–';
  return `${(rate * 100).toFixed(rate > 0 && rate < 0.01 ? 2 : 1)}%`;
}

/** A gate's measured value: rates as given, latencies rounded. */
export function formatValue(value: number | null): string {
  if (value === null) return 'no data';
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
}

/** A gate's measured value as its metric reads: `379 ms` for latency gates (`p95(turn_ms)`), else `formatValue`. */
export function formatGateValue(expression: string, value: number | null): string {
  return value !== null && LATENCY_GATE.test(expression) ? formatMs(value) : formatValue(value);
}

/** Latency gates name a `*_ms` series (see `gates.ts`). */
const LATENCY_GATE = /\(\s*\w+_ms\s*\)/;

/** Plain-text table with padded columns (no box drawing: it survives every CI log viewer). */
export function textTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: readonly string[]) => cells.map((c, i) => c + ' '.repeat((widths[i] ?? 0) - visibleLength(c))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

// ANSI colour codes take no room on screen.
function visibleLength(s: string): number {
  return s.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/** Markdown table; cell text is escaped so recorded text cannot break the table or inject markup. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Inline code: CommonMark shows a code span's content literally (backslash escapes included), so
 * the content is never escaped; a backtick inside gets a fence longer than its longest backtick
 * run, padded with a space when the content starts or ends with one. In a GFM table cell a pipe
 * still splits the cell even inside a code span, and there `\|` is the one escape GFM removes.
 */
export function codeSpan(text: string, inTable = false): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const content = inTable ? flat.replace(/\|/g, '\\|') : flat;
  const fence = '`'.repeat(longestRun(content, '`') + 1);
  const pad = content.startsWith('`') || content.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** A fenced code block whose fence is longer than any backtick run in `text`. */
export function codeBlock(text: string, info = ''): string {
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  return `${fence}${info}\n${text}\n${fence}`;
}

function longestRun(text: string, ch: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

/** Escapes text for a Markdown table cell or paragraph (not for code spans: see `codeSpan`). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+!|<>~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;');
}
