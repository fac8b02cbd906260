import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { readJournal } from '../journal/journal-reader.ts';
import type { JournalEvent, RunStartEvent } from '../model/index.ts';
import { Scenario } from '../scenario/schema.ts';

/** What a resumed run continues from. */
export interface ResumeState {
  start: RunStartEvent;
  scenario: Scenario;
  /** Instances that ended (completed or failed): never played again. */
  ended: Set<string>;
}

/**
 * Prepares a run directory for `--resume`. Design: the journal is rewritten (to a temp file,
 * then renamed) keeping the run-start, every event of instances that ended, and calls nobody
 * could attribute; events of instances that started but did not end — and earlier findings
 * and run-end — are dropped. Those instances are then replayed from scratch with the same ids
 * and seed keys, so the final journal holds each planned instance exactly once.
 */
export async function prepareResume(runDir: string): Promise<ResumeState> {
  const path = join(runDir, 'journal.jsonl');
  if (!existsSync(path)) throw new HarnessError('USAGE', `no journal.jsonl in ${runDir}`, { hint: 'pass the run directory printed by `rehearse run`' });
  const events = await readJournal(path);
  const start = events.find((e): e is RunStartEvent => e.type === 'run-start');
  if (!start) throw new HarnessError('SCHEMA', `${path} has no run-start event`, { hint: 'the run died before it started; run it again instead of resuming' });
  const parsed = Scenario.safeParse(start.config);
  if (!parsed.success) throw new HarnessError('SCHEMA', `${path}: the run-start config is not a valid scenario`, { hint: 'resume with the rehearsal version that started the run' });
  const ended = new Set<string>();
  for (const e of events) if (e.type === 'session-end' && e.status !== 'aborted') ended.add(e.instance);
  const keep = (e: JournalEvent): boolean => {
    switch (e.type) {
      case 'run-start':
        return e === start;
      case 'warm-up':
        return true;
      case 'session-start':
      case 'turn':
      case 'session-end':
        return ended.has(e.instance);
      case 'call':
        return e.instance === null || ended.has(e.instance);
      case 'finding':
      case 'run-end':
        return false;
    }
  };
  const tmp = `${path}.resume-tmp`;
  await writeFile(tmp, events.filter(keep).map((e) => JSON.stringify(e) + '\n').join(''));
  await rename(tmp, path);
  return { start, scenario: parsed.data, ended };
}
