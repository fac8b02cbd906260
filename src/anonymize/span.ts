import type { IdentityType } from '../model/index.ts';

/**
 * One detected value in a text: `[start, end)`. An identity becomes a format-preserving
 * surrogate; a secret becomes a non-reversible `[secret:<kind>:<tag>]` token.
 */
export type Span =
  | { start: number; end: number; kind: 'identity'; type: IdentityType; slot?: NameSlot }
  | { start: number; end: number; kind: 'secret'; type: string };

/** For name tokens: which pseudonym list the surrogate comes from. */
export type NameSlot = 'first' | 'last';

/** Higher wins when spans overlap: secrets hide everything inside them. */
function priority(s: Span): number {
  return s.kind === 'secret' ? 2 : s.type === 'name' || s.type === 'address' ? 0 : 1;
}

/**
 * Keeps a non-overlapping subset, preferring secrets, then structured identities, then the
 * longer span; returns them in text order. Spans per text are few, so a quadratic check is fine.
 */
export function resolveOverlaps(spans: Span[]): Span[] {
  if (spans.length < 2) return spans;
  const ranked = [...spans].sort((a, b) => priority(b) - priority(a) || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Span[] = [];
  for (const s of ranked) {
    if (!kept.some((k) => s.start < k.end && k.start < s.end)) kept.push(s);
  }
  return kept.sort((a, b) => a.start - b.start);
}
