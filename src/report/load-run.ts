import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { groupJournal, readJournal, type RunData } from '../journal/journal-reader.ts';

/** The journal file inside a run directory. */
export const JOURNAL_FILE = 'journal.jsonl';

/** Reads and groups `<dir>/journal.jsonl`; a missing journal is an error naming the directory. */
export async function loadRunDir(dir: string): Promise<RunData> {
  const path = join(dir, JOURNAL_FILE);
  const found = await stat(path).catch(() => undefined);
  if (!found?.isFile()) {
    throw new HarnessError('IO', `${dir} has no ${JOURNAL_FILE}`, { hint: 'pass a run directory written by `rehearse run` (or by `rehearse merge-reports`)' });
  }
  return groupJournal(await readJournal(path), path);
}
