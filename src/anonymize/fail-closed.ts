import { errorMessage } from '../errors.ts';
import type { Session } from '../model/index.ts';

/** What `anonymizeSessions` did; filled as the output iterable is consumed. */
export interface AnonymizeStats {
  anonymized: number;
  dropped: number;
  /** Why each dropped session failed: session id (from the raw recording) and the message. */
  failures: Array<{ session: string; error: string }>;
}

/**
 * Fail closed: anonymizes each session of `sessions`, yielding only those that anonymized
 * cleanly; a session whose anonymization throws is counted and dropped, never yielded raw.
 * Errors of the source iterable itself propagate (they are not a session's fault).
 */
export function anonymizeSessions(
  sessions: Iterable<Session> | AsyncIterable<Session>,
  anonymizer: { anonymizeSession(raw: Session): Session },
): { sessions: AsyncIterable<Session>; stats: AnonymizeStats } {
  const stats: AnonymizeStats = { anonymized: 0, dropped: 0, failures: [] };
  async function* run(): AsyncIterable<Session> {
    for await (const raw of sessions) {
      let clean: Session;
      try {
        clean = anonymizer.anonymizeSession(raw);
      } catch (err) {
        stats.dropped++;
        stats.failures.push({ session: typeof raw?.id === 'string' ? raw.id : '(unknown)', error: errorMessage(err) });
        continue;
      }
      stats.anonymized++;
      yield clean;
    }
  }
  return { sessions: run(), stats };
}
