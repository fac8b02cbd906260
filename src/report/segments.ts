import type { InstanceData } from '../journal/journal-reader.ts';

/** The segment key rehearsal adds to every session: how many turns it played. */
export const TURNS_SEGMENT_KEY = 'turns';

/** Buckets `1`, `2-3`, `4-7`, `8-15`, `16+`: long conversations fail differently from short ones. */
export function turnCountBucket(turns: number): string {
  if (turns <= 1) return String(Math.max(0, turns));
  if (turns <= 3) return '2-3';
  if (turns <= 7) return '4-7';
  if (turns <= 15) return '8-15';
  return '16+';
}

/** The segment tags of an instance: its recorded tags plus the turn-count bucket. */
export function segmentOf(data: InstanceData): Record<string, string> {
  return { ...data.start.segment, [TURNS_SEGMENT_KEY]: turnCountBucket(data.turns.length) };
}

/** `key=value` identity of one segment value. */
export function segmentId(key: string, value: string): string {
  return `${key}=${value}`;
}
