/**
 * Reports benchmark: how fast a journal becomes a summary (HDR histograms per latency series,
 * segment and time bucket) and how fast shard summaries merge, each against reading the same
 * journal with JSON.parse — the floor any journal consumer pays — measured in the same run.
 * Best of `ROUNDS` rounds (the machine is shared).
 */
import { groupJournal } from '../src/journal/journal-reader.ts';
import { mergeSummaries } from '../src/report/merge-summaries.ts';
import { summarize } from '../src/report/summary.ts';
import { bigJournalSpec, buildJournal, shardSpecs } from '../test/report/journal-fixture.ts';
import type { BenchRow, Benchmark } from './bench-row.ts';

const SESSIONS = 3000;
const ROUNDS = 3;

function best(fn: () => void): number {
  let fastest = Infinity;
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    fn();
    fastest = Math.min(fastest, performance.now() - t);
  }
  return fastest;
}

const bench: Benchmark = async () => {
  const spec = bigJournalSpec(SESSIONS, 'bench');
  const events = buildJournal(spec);
  const lines = events.map((e) => JSON.stringify(e));
  const turns = events.filter((e) => e.type === 'turn').length;
  const run = groupJournal(events);
  const parseMs = best(() => {
    for (const line of lines) JSON.parse(line);
  });
  const summarizeMs = best(() => summarize(run));
  const shardSummaries = shardSpecs(spec, 3).map((s) => summarize(groupJournal(buildJournal(s))));
  const mergeMs = best(() => mergeSummaries(shardSummaries));
  const perSecond = (ms: number) => (turns / ms) * 1000;
  return [
    {
      benchmark: `report summarize (${SESSIONS} sessions, ${turns} turns)`,
      figure: perSecond(summarizeMs),
      unit: 'turns/s',
      referenceName: 'JSON.parse of the journal',
      reference: perSecond(parseMs),
      ratio: parseMs / summarizeMs,
      target: 'ratio ≥ 0.25',
      met: parseMs / summarizeMs >= 0.25,
    },
    {
      benchmark: 'report merge of 3 shard summaries',
      figure: mergeMs,
      unit: 'ms',
      referenceName: 'summarize the whole run',
      reference: summarizeMs,
      ratio: summarizeMs / mergeMs,
      target: 'ratio ≥ 1 (merging is cheaper than re-summarizing)',
      met: summarizeMs / mergeMs >= 1,
    },
  ];
};

export default bench;
