/**
 * Anonymizer benchmarks: throughput of `anonymizeSession` on chat-like sessions (MB/s of
 * session JSON) and of re-keying anonymized sessions for replay clones, each against one
 * `JSON.parse` + `JSON.stringify` pass over the same bytes in the same run; and the labeled
 * corpus' recall per type and false-positive rate on hard negatives.
 */
import { readFile } from 'node:fs/promises';
import { createAnonymizer, createRekeyer } from '../src/anonymize/index.ts';
import { evaluateCorpus, parseCorpus } from '../src/anonymize/evaluate.ts';
import { generateSessions } from '../src/fixtures/synthetic.ts';
import type { BenchRow } from './bench-row.ts';

const MB = 1e6;
const KEY = Buffer.alloc(32, 0x5a);

/** Fastest of `runs` timings, in ms: the least disturbed by other work on the machine. */
function best(runs: number, fn: () => unknown): number {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

function throughput(): BenchRow {
  const sessions = generateSessions({ seed: 'anonymize-bench', sessions: 400 });
  const texts = sessions.map((s) => JSON.stringify(s));
  const mb = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / MB;
  // Warm both paths up so neither pays for regex compilation or JIT in its timed runs.
  for (const t of texts.slice(0, 40)) createAnonymizer({ key: KEY }).anonymizeSession(JSON.parse(t));
  const referenceMs = best(5, () => texts.map((t) => JSON.stringify(JSON.parse(t))));
  // A fresh anonymizer per run: its caches fill within the run, as over one real recording.
  const anonymizeMs = best(5, () => {
    const a = createAnonymizer({ key: KEY });
    return texts.map((t) => JSON.stringify(a.anonymizeSession(JSON.parse(t))));
  });
  const figure = mb / (anonymizeMs / 1000);
  const reference = mb / (referenceMs / 1000);
  const ratio = figure / reference;
  return {
    benchmark: `anonymizeSession, chat-like sessions (${mb.toFixed(1)} MB)`,
    figure,
    unit: 'MB/s',
    referenceName: 'JSON.parse+stringify',
    reference,
    ratio,
    target: 'ratio ≥ 0.15',
    met: ratio >= 0.15,
  };
}

/** Replay re-keys every recorded answer per clone: `Rekeyer.apply` on whole sessions. */
function rekeying(): BenchRow {
  const anonymizer = createAnonymizer({ key: KEY });
  const sessions = generateSessions({ seed: 'rekey-bench', sessions: 300 }).map((s) => anonymizer.anonymizeSession(s));
  const texts = sessions.map((s) => JSON.stringify(s));
  const mb = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / MB;
  let run = 0;
  const referenceMs = best(5, () => texts.map((t) => JSON.stringify(JSON.parse(t))));
  const rekeyMs = best(5, () => {
    run++;
    return sessions.map((s, i) => JSON.stringify(createRekeyer(s.identities, `bench-${run}-${i}`).apply(JSON.parse(texts[i] as string))));
  });
  const figure = mb / (rekeyMs / 1000);
  const reference = mb / (referenceMs / 1000);
  const ratio = figure / reference;
  return {
    benchmark: `Rekeyer.apply, anonymized sessions (${mb.toFixed(1)} MB)`,
    figure,
    unit: 'MB/s',
    referenceName: 'JSON.parse+stringify',
    reference,
    ratio,
    target: 'ratio ≥ 0.25',
    met: ratio >= 0.25,
  };
}

async function corpusRows(): Promise<BenchRow[]> {
  const lines = parseCorpus(await readFile(new URL('../test/fixtures/pii-corpus.jsonl', import.meta.url), 'utf8'));
  const report = evaluateCorpus(lines, () => createAnonymizer({ key: KEY }));
  const rows: BenchRow[] = Object.entries(report.recall).map(([type, r]) => {
    const contextual = type === 'name' || type === 'address' || type === 'postcode';
    const target = contextual ? 0.95 : 0.995;
    return {
      benchmark: `corpus recall: ${type} (${r.lines} lines)`,
      figure: r.recall * 100,
      unit: '%',
      referenceName: '',
      reference: target * 100,
      ratio: r.recall / target,
      target: `recall ≥ ${target * 100}%`,
      met: r.recall >= target,
    };
  });
  rows.push({
    benchmark: `corpus false positives (${report.negatives.lines} hard negatives)`,
    figure: report.negatives.rate * 100,
    unit: '%',
    referenceName: '',
    reference: 2,
    ratio: report.negatives.rate / 0.02,
    target: 'rate ≤ 2%',
    met: report.negatives.rate <= 0.02,
  });
  return rows;
}

export default async (): Promise<BenchRow[]> => [throughput(), rekeying(), ...(await corpusRows())];
