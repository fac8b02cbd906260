import { createHash } from 'node:crypto';
import { HarnessError } from '../errors.ts';
import { groupJournal, type RunData } from '../journal/journal-reader.ts';
import type { JournalEvent, RunEndEvent, RunStartEvent } from '../model/index.ts';

/** One shard's run directory, read. */
export interface ShardRun {
  dir: string;
  events: JournalEvent[];
}

export interface MergedRun {
  /** The merged journal: one run-start, every shard's events in shard order, one run-end. */
  events: JournalEvent[];
  run: RunData;
  shards: { count: number; included: number[] };
  /** Shard indexes of `1..count` that were not given. */
  missing: number[];
}

/**
 * Merges shard journals into the journal of the whole run (playwright's blob → merge idea: the
 * event log is the interchange format, any reporter renders from the merge). Shards must come
 * from the same scenario and seed, agree on the shard count and not repeat an index or a
 * session instance; every mismatch is an error naming the directories involved. Event times
 * stay relative to each shard's own start, which is what "turn latency over run time" wants when
 * shards start together.
 */
export function mergeShardRuns(shards: readonly ShardRun[]): MergedRun {
  if (shards.length === 0) throw new HarnessError('USAGE', 'merge-reports needs at least one shard run directory');
  const starts = shards.map((s) => ({ dir: s.dir, start: runStartOf(s) }));
  const first = starts[0] as { dir: string; start: RunStartEvent };
  const count = first.start.shard?.count;
  const byIndex = new Map<number, string>();
  for (const { dir, start } of starts) {
    if (!start.shard) throw mismatch(`${dir} is not a shard run (its run-start has no shard)`, 'merge the directories of runs started with `--shard i/n`');
    if (start.shard.count !== count) throw mismatch(`${dir} is shard ${start.shard.index}/${start.shard.count} but ${first.dir} is of ${count} shards`);
    if (start.scenario.name !== first.start.scenario.name) throw mismatch(`${dir} ran scenario ${start.scenario.name}, ${first.dir} ran ${first.start.scenario.name}`);
    if (start.seed !== first.start.seed) throw mismatch(`${dir} ran with seed ${start.seed}, ${first.dir} with ${first.start.seed}`);
    const seen = byIndex.get(start.shard.index);
    if (seen !== undefined) throw mismatch(`${dir} and ${seen} are both shard ${start.shard.index}/${count}`, 'pass each shard directory once');
    byIndex.set(start.shard.index, dir);
  }
  const included = [...byIndex.keys()].sort((a, b) => a - b);
  const missing = Array.from({ length: count ?? 0 }, (_, i) => i + 1).filter((i) => !byIndex.has(i));

  const owner = new Map<string, string>();
  const findingIds = new Set<string>();
  const body: JournalEvent[] = [];
  const ends: RunEndEvent[] = [];
  for (const shard of shards) {
    for (const ev of shard.events) {
      if (ev.type === 'run-start') continue;
      if (ev.type === 'run-end') {
        ends.push(ev);
        continue;
      }
      if (ev.type === 'session-start') {
        const other = owner.get(ev.instance);
        if (other !== undefined) throw mismatch(`session instance ${ev.instance} appears in both ${other} and ${shard.dir}`, 'were the same shard directories passed twice under different names?');
        owner.set(ev.instance, shard.dir);
      }
      if (ev.type === 'finding') {
        if (findingIds.has(ev.finding.id)) continue;
        findingIds.add(ev.finding.id);
      }
      body.push(ev);
    }
  }

  const runIds = [...new Set(starts.map((s) => s.start.runId))];
  const start: RunStartEvent = {
    ...first.start,
    runId: runIds.length === 1 ? first.start.runId : `merged-${createHash('sha256').update(runIds.sort().join('\n')).digest('hex').slice(0, 12)}`,
    startedAt: starts.map((s) => s.start.startedAt).sort((a, b) => Date.parse(a) - Date.parse(b))[0] as string,
    plannedInstances: starts.reduce((n, s) => n + s.start.plannedInstances, 0),
  };
  delete start.shard;
  const events: JournalEvent[] = [start, ...body];
  // A merged run is finished only when every given shard finished.
  if (ends.length === shards.length) {
    const last = ends.reduce((a, b) => (Date.parse(a.endedAt) >= Date.parse(b.endedAt) ? a : b));
    events.push({ type: 'run-end', t: Math.max(...ends.map((e) => e.t)), endedAt: last.endedAt, interrupted: ends.some((e) => e.interrupted) });
  }
  return { events, run: groupJournal(events, 'merged journal'), shards: { count: count ?? 1, included }, missing };
}

function runStartOf(shard: ShardRun): RunStartEvent {
  const start = shard.events.find((e): e is RunStartEvent => e.type === 'run-start');
  if (!start) throw new HarnessError('SCHEMA', `${shard.dir}: journal has no run-start event`, { hint: 'is this a rehearsal run directory?' });
  return start;
}

function mismatch(message: string, hint = 'merge only the shards of one run: same scenario, seed and shard count'): HarnessError {
  return new HarnessError('USAGE', message, { hint });
}
