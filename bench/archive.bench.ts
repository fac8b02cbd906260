/**
 * Archive benchmarks: write and read throughput (MB/s of session JSON) against
 * JSON.stringify / JSON.parse of the same sessions in the same run, plain and gzip; and peak
 * RSS reading a 1 GiB recording against a 50 MiB one, each read in a fresh child process
 * (this file, run with `--read-rss <archive>`), to show reading memory is flat.
 *
 * The machine may be shared: every job runs once per round, rounds interleaved, and each
 * figure is a job's fastest round (the least disturbed). Wall time is the figure (writing and
 * reading use the thread pool, which is the point); the CPU-time ratio, which load on other
 * cores cannot flatter, is given with it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openArchive, writeArchive, type ArchiveWriteOptions } from '../src/archive/index.ts';
import { generateSessions, streamSessions } from '../src/fixtures/synthetic.ts';
import type { BenchRow } from './bench-row.ts';

const MB = 1e6;
const MiB = 1024 * 1024;
const ROUNDS = 5;
const options: ArchiveWriteOptions = { anonymization: { policyId: 'builtin/v1', droppedSessions: 0 }, createdAt: new Date(Date.UTC(2026, 0, 1)) };

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Runs every job once per round, `rounds` times; keeps each job's fastest wall and CPU time. */
async function interleaved(rounds: number, jobs: Record<string, (round: number) => unknown>): Promise<Record<string, Timing>> {
  const best: Record<string, Timing> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, job] of Object.entries(jobs)) {
      const cpu0 = process.cpuUsage();
      const start = performance.now();
      await job(round);
      const wallMs = performance.now() - start;
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      const prev = best[name];
      best[name] = { wallMs: Math.min(wallMs, prev?.wallMs ?? Infinity), cpuMs: Math.min(cpuMs, prev?.cpuMs ?? Infinity) };
    }
  }
  return best;
}

function ratioRow(benchmark: string, mb: number, figure: Timing, referenceName: string, reference: Timing): BenchRow {
  const ratio = reference.wallMs / figure.wallMs;
  const cpuRatio = reference.cpuMs / figure.cpuMs;
  return {
    benchmark: `${benchmark} (CPU-time ratio ${cpuRatio.toFixed(2)})`,
    figure: mb / (figure.wallMs / 1000),
    unit: 'MB/s',
    referenceName,
    reference: mb / (reference.wallMs / 1000),
    ratio,
    target: 'ratio ≥ 0.5',
    met: ratio >= 0.5,
  };
}

async function throughput(dir: string): Promise<BenchRow[]> {
  const sessions = generateSessions({ seed: 'bench', sessions: 1200 });
  const texts = sessions.map((s) => JSON.stringify(s));
  const mb = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / MB;
  const drain = async (path: string) => {
    for await (const _ of (await openArchive(path)).sessions()) {
      /* drain: parse, checksum and validate every session */
    }
  };
  // A new file each round, as when recording: renaming over an existing file makes ext4 flush
  // the new one to disk first (auto_da_alloc), a cost of replacing files, not of writing them.
  // Each is deleted once read, so the page cache recycles its pages: on a VM, pages the guest
  // never touched cost a host fault each, and made the same copy 8× slower.
  const plain = (round: number) => join(dir, `${round}.tar`);
  const gzip = (round: number) => join(dir, `${round}.tar.gz`);
  const t = await interleaved(ROUNDS, {
    stringify: () => sessions.map((s) => JSON.stringify(s)),
    parse: () => texts.map((text) => JSON.parse(text)),
    writePlain: (round) => writeArchive(plain(round), sessions, options),
    readPlain: (round) => drain(plain(round)),
    writeGzip: (round) => writeArchive(gzip(round), sessions, options),
    readGzip: (round) => drain(gzip(round)),
    cleanUp: async (round) => {
      await rm(plain(round));
      await rm(gzip(round));
    },
  });
  const timing = (name: string) => t[name] as Timing;
  return [
    ratioRow('archive write (plain)', mb, timing('writePlain'), 'JSON.stringify', timing('stringify')),
    ratioRow('archive read (plain)', mb, timing('readPlain'), 'JSON.parse', timing('parse')),
    ratioRow('archive write (gzip)', mb, timing('writeGzip'), 'JSON.stringify', timing('stringify')),
    ratioRow('archive read (gzip)', mb, timing('readGzip'), 'JSON.parse', timing('parse')),
  ];
}

/** Writes a gzip recording of about `bytes` of session JSON, streamed (never all in memory). */
async function recordingOf(path: string, bytes: number): Promise<void> {
  const average = generateSessions({ seed: 'rss', sessions: 200 }).reduce((n, s) => n + Buffer.byteLength(JSON.stringify(s)), 0) / 200;
  await writeArchive(path, streamSessions({ seed: 'rss', sessions: Math.ceil(bytes / average) }), options);
}

interface ReadRss {
  sessions: number;
  /** Peak RSS over the whole read. */
  maxRssKiB: number;
  /** RSS once the manifest is read and checked, before any session. */
  openedRssKiB: number;
  /** Peak RSS after the first twentieth of the sessions. */
  earlyMaxRssKiB: number;
}

function childRss(path: string): Promise<ReadRss> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [fileURLToPath(import.meta.url), '--read-rss', path], { timeout: 300_000 }, (err, stdout) => {
      if (err) reject(err);
      else resolve(JSON.parse(stdout) as ReadRss);
    });
  });
}

async function peakRss(dir: string): Promise<BenchRow[]> {
  const small = join(dir, 'small.tar.gz');
  const large = join(dir, 'large.tar.gz');
  await recordingOf(small, 50 * MiB);
  const smallRss = await childRss(small);
  await rm(small);
  await recordingOf(large, 1024 * MiB);
  const largeRss = await childRss(large);
  await rm(large);
  const ratio = largeRss.maxRssKiB / smallRss.maxRssKiB;
  const growth = largeRss.maxRssKiB / largeRss.earlyMaxRssKiB;
  const opened = (r: ReadRss) => (r.openedRssKiB / 1024).toFixed(0);
  return [
    {
      benchmark: `peak RSS reading 1 GiB recording (${largeRss.sessions} sessions; ${opened(largeRss)} MiB once its manifest is read, vs ${opened(smallRss)})`,
      figure: largeRss.maxRssKiB / 1024,
      unit: 'MiB',
      referenceName: `50 MiB recording (${smallRss.sessions} sessions)`,
      reference: smallRss.maxRssKiB / 1024,
      ratio,
      target: 'ratio ≤ 1.3',
      met: ratio <= 1.3,
    },
    // Context for the row above: the manifest (one entry per session) grows with the recording;
    // streaming the sessions must not.
    {
      benchmark: 'RSS growth while reading the 1 GiB recording',
      figure: largeRss.maxRssKiB / 1024,
      unit: 'MiB',
      referenceName: 'after its first 5% of sessions',
      reference: largeRss.earlyMaxRssKiB / 1024,
      ratio: growth,
      target: 'ratio ≤ 1.15 (flat)',
      met: growth <= 1.15,
    },
  ];
}

export default async function archiveBench(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'rehearsal-bench-'));
  try {
    return [...(await throughput(dir)), ...(await peakRss(dir))];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.main && process.argv[2] === '--read-rss') {
  const reader = await openArchive(process.argv[3] as string);
  const openedRssKiB = process.memoryUsage().rss / 1024;
  const early = Math.ceil(reader.manifest.entries.length / 20);
  let sessions = 0;
  let earlyMaxRssKiB = Number.NaN;
  for await (const _ of reader.sessions()) {
    if (++sessions === early) earlyMaxRssKiB = process.resourceUsage().maxRSS;
  }
  const result: ReadRss = { sessions, maxRssKiB: process.resourceUsage().maxRSS, openedRssKiB, earlyMaxRssKiB };
  process.stdout.write(JSON.stringify(result));
}
