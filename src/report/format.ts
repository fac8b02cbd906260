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

/** Escapes text for a Markdown table cell or paragraph. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+!|<>~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;');
}
