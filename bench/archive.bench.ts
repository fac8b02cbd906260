/**
 * Archive benchmarks: write and read throughput (MB/s of session JSON) against
 * JSON.stringify / JSON.parse of the same sessions in the same run, plain and gzip; and peak
 * RSS reading a 1 GiB recording against a 50 MiB one, each read in a fresh child process
 * (this file, run with `--read-rss <archive>`), to show reading memory is flat.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openArchive, writeArchive, type ArchiveWriteOptions } from '../src/archive/index.ts';
import { generateSessions, streamSessions } from '../src/fixtures/synthetic.ts';
import type { BenchRow } from './bench-row.ts';

const MB = 1e6;
const MiB = 1024 * 1024;
const options: ArchiveWriteOptions = { anonymization: { policyId: 'builtin/v1', droppedSessions: 0 }, createdAt: new Date(Date.UTC(2026, 0, 1)) };

/** Fastest of `runs` timings, in ms: the least disturbed by other work on the machine. */
async function best(runs: number, fn: () => unknown): Promise<number> {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

function ratioRow(benchmark: string, figure: number, referenceName: string, reference: number): BenchRow {
  const ratio = figure / reference;
  return { benchmark, figure, unit: 'MB/s', referenceName, reference, ratio, target: 'ratio ≥ 0.5', met: ratio >= 0.5 };
}

async function throughput(dir: string): Promise<BenchRow[]> {
  const sessions = generateSessions({ seed: 'bench', sessions: 1200 });
  const texts = sessions.map((s) => JSON.stringify(s));
  const mb = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / MB;
  const stringifyMs = await best(3, () => sessions.map((s) => JSON.stringify(s)));
  const parseMs = await best(3, () => texts.map((t) => JSON.parse(t)));
  const rows: BenchRow[] = [];
  for (const [label, file] of [['plain', 'b.tar'], ['gzip', 'b.tar.gz']] as const) {
    const path = join(dir, file);
    const writeMs = await best(3, () => writeArchive(path, sessions, options));
    const readMs = await best(3, async () => {
      for await (const _ of (await openArchive(path)).sessions()) {
        /* drain: parse, checksum and validate every session */
      }
    });
    rows.push(ratioRow(`archive write (${label})`, mb / (writeMs / 1000), 'JSON.stringify', mb / (stringifyMs / 1000)));
    rows.push(ratioRow(`archive read (${label})`, mb / (readMs / 1000), 'JSON.parse', mb / (parseMs / 1000)));
  }
  return rows;
}

/** Writes a gzip recording of about `bytes` of session JSON, streamed (never all in memory). */
async function recordingOf(path: string, bytes: number): Promise<void> {
  const average = generateSessions({ seed: 'rss', sessions: 200 }).reduce((n, s) => n + Buffer.byteLength(JSON.stringify(s)), 0) / 200;
  await writeArchive(path, streamSessions({ seed: 'rss', sessions: Math.ceil(bytes / average) }), options);
}

function childRss(path: string): Promise<{ maxRssKiB: number; sessions: number }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [fileURLToPath(import.meta.url), '--read-rss', path], { timeout: 300_000 }, (err, stdout) => {
      if (err) reject(err);
      else resolve(JSON.parse(stdout) as { maxRssKiB: number; sessions: number });
    });
  });
}

async function peakRss(dir: string): Promise<BenchRow> {
  const small = join(dir, 'small.tar.gz');
  const large = join(dir, 'large.tar.gz');
  await recordingOf(small, 50 * MiB);
  const smallRss = await childRss(small);
  await rm(small);
  await recordingOf(large, 1024 * MiB);
  const largeRss = await childRss(large);
  await rm(large);
  const ratio = largeRss.maxRssKiB / smallRss.maxRssKiB;
  return {
    benchmark: `peak RSS reading 1 GiB recording (${largeRss.sessions} sessions)`,
    figure: largeRss.maxRssKiB / 1024,
    unit: 'MiB',
    referenceName: `50 MiB recording (${smallRss.sessions} sessions)`,
    reference: smallRss.maxRssKiB / 1024,
    ratio,
    target: 'ratio ≤ 1.3',
    met: ratio <= 1.3,
  };
}

export default async function archiveBench(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'rehearsal-bench-'));
  try {
    return [...(await throughput(dir)), await peakRss(dir)];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.main && process.argv[2] === '--read-rss') {
  const path = process.argv[3] as string;
  let sessions = 0;
  for await (const _ of (await openArchive(path)).sessions()) sessions++;
  const size = (await stat(path)).size;
  process.stdout.write(JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, sessions, size }));
}
