/**
 * `npm run bench`: runs every `bench/*.bench.ts` (sorted by name) and prints one table.
 * A benchmark that throws becomes a failed row, so one broken file never hides the others.
 *
 *   node bench/run.ts                 # all, as a table
 *   node bench/run.ts --filter archive
 *   node bench/run.ts --json          # rows as JSON
 */
import { readdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchRow, Benchmark } from './bench-row.ts';

const benchDir = fileURLToPath(new URL('.', import.meta.url));

/** Runs one bench module; any failure becomes one row saying so. */
async function runFile(file: string): Promise<BenchRow[]> {
  try {
    const mod = (await import(pathToFileURL(`${benchDir}${file}`).href)) as { default?: Benchmark };
    if (typeof mod.default !== 'function') throw new Error('no default-exported benchmark function');
    return await mod.default();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return [{ benchmark: `${file}: FAILED (${message})`, figure: Number.NaN, unit: '', referenceName: '', reference: Number.NaN, ratio: Number.NaN, target: '', met: false }];
  }
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return '—';
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** A plain-text table, columns padded to their widest cell. */
export function formatTable(rows: BenchRow[]): string {
  const header = ['benchmark', 'figure', 'reference', 'ratio', 'target', 'met'];
  const cells = rows.map((r) => [
    r.benchmark,
    `${fmt(r.figure)} ${r.unit}`.trim(),
    r.referenceName ? `${r.referenceName} ${fmt(r.reference)} ${r.unit}`.trim() : '',
    fmt(r.ratio),
    r.target,
    r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { json: { type: 'boolean' }, filter: { type: 'string' } } });
  const files = (await readdir(benchDir)).filter((f) => f.endsWith('.bench.ts') && (!values.filter || f.includes(values.filter))).sort();
  const rows: BenchRow[] = [];
  for (const file of files) {
    if (!values.json) process.stderr.write(`running ${file}…\n`);
    rows.push(...(await runFile(file)));
  }
  process.stdout.write(values.json ? `${JSON.stringify(rows, null, 2)}\n` : `${formatTable(rows)}\n`);
  // A missed target is a figure to look at, not a crash; only a benchmark that failed to run fails the command.
  process.exitCode = rows.some((r) => Number.isNaN(r.figure)) ? 1 : 0;
}
