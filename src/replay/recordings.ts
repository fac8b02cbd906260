import { openArchive } from '../archive/index.ts';
import { HarnessError } from '../errors.ts';
import type { Session } from '../model/index.ts';

/** Sessions of every recording archive, and how many each held (for run-start). */
export interface LoadedRecordings {
  sessions: Session[];
  sources: Array<{ path: string; sessions: number }>;
}

/**
 * Reads every session of the scenario's recordings, in archive order. A session id present in
 * two archives is a config error: instance ids and seed keys derive from it.
 */
export async function loadRecordings(paths: readonly string[]): Promise<LoadedRecordings> {
  const sessions: Session[] = [];
  const sources: LoadedRecordings['sources'] = [];
  const seen = new Map<string, string>();
  for (const path of paths) {
    const reader = await openArchive(path);
    let count = 0;
    for await (const session of reader.sessions()) {
      const other = seen.get(session.id);
      if (other !== undefined) {
        throw new HarnessError('CONFIG', `session ${session.id} appears in both ${other} and ${path}`, { hint: 'list each recording once in `recordings:`, or select with `select.ids`' });
      }
      seen.set(session.id, path);
      sessions.push(session);
      count++;
    }
    sources.push({ path, sessions: count });
  }
  return { sessions, sources };
}
