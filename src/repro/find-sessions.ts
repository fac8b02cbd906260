import type { Session } from '../model/index.ts';

/** What `rehearse find` looks for: one session by its recorded id, or sessions around a time. */
export type FindCriteria =
  | { kind: 'id'; recordedId: string }
  | { kind: 'time'; around: Date; windowMs: number; segment: Record<string, string> };

/** One matching recorded session, as `find` lists it. */
export interface FoundSession {
  id: string;
  startedAt: string;
  segment: Record<string, string>;
  turns: number;
  /** Milliseconds from `around` (time search only). */
  offsetMs?: number;
}

/**
 * Streams a recording's sessions and keeps those matching: the recorded id (or its `#n`
 * siblings: the same production id seen again), or a start time within `windowMs` of `around`
 * with every given segment tag equal. Only matches are kept, so memory stays flat.
 * Time matches are sorted by distance from `around`.
 */
export async function findSessions(sessions: AsyncIterable<Session>, criteria: FindCriteria): Promise<FoundSession[]> {
  const found: FoundSession[] = [];
  for await (const s of sessions) {
    const row: FoundSession = { id: s.id, startedAt: s.startedAt, segment: s.segment, turns: s.turns.length };
    if (criteria.kind === 'id') {
      if (s.id === criteria.recordedId || s.id.startsWith(`${criteria.recordedId}#`)) found.push(row);
      continue;
    }
    const offsetMs = Date.parse(s.startedAt) - criteria.around.getTime();
    if (Math.abs(offsetMs) > criteria.windowMs) continue;
    if (Object.entries(criteria.segment).some(([k, v]) => s.segment[k] !== v)) continue;
    found.push({ ...row, offsetMs });
  }
  if (criteria.kind === 'time') found.sort((a, b) => Math.abs(a.offsetMs ?? 0) - Math.abs(b.offsetMs ?? 0) || (a.id < b.id ? -1 : 1));
  return found;
}
