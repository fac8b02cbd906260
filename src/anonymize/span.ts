import type { IdentityType } from '../model/index.ts';

/**
 * One detected value in a text: `[start, end)`. An identity becomes a format-preserving
 * surrogate; a secret becomes a non-reversible `[secret:<kind>:<tag>]` token.
 */
export type Span =
  | { start: number; end: number; kind: 'identity'; type: IdentityType; slot?: NameSlot; fromPolicy?: boolean }
  | { start: number; end: number; kind: 'secret'; type: string; fromPolicy?: boolean };

/** For name tokens: which pseudonym list the surrogate comes from. */
export type NameSlot = 'first' | 'last';

/** Higher wins when spans overlap: the policy's own rules, then secrets (they hide everything inside them). */
function priority(s: Span): number {
  if (s.fromPolicy) return 3;
  return s.kind === 'secret' ? 2 : s.type === 'name' || s.type === 'address' ? 0 : 1;
}

/**
 * Keeps a non-overlapping subset in text order: of two overlapping spans the one with the
 * higher priority (then the longer one) wins. A sweep over spans sorted by start: only the
 * last kept span can overlap the next one, so this is O(k log k) even for the hundreds of
 * thousands of spans an adversarial text can produce.
 */
export function resolveOverlaps(spans: Span[]): Span[] {
  if (spans.length < 2) return spans;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Span[] = [];
  for (const s of spans) {
    const last = kept[kept.length - 1];
    if (!last || s.start >= last.end) kept.push(s);
    else if (priority(s) > priority(last) || (priority(s) === priority(last) && s.end - s.start > last.end - last.start)) {
      kept[kept.length - 1] = s;
    }
  }
  return kept;
}
