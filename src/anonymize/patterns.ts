/**
 * Character classes (bodies, without brackets) for the hot patterns. Unicode property
 * classes (`\p{L}`) inside lookarounds make V8's regex engine tens of times slower, so the
 * detectors spell out Latin letters instead: ASCII, Latin-1 and Latin Extended-A, which
 * covers the languages the context detectors know (en, es, de, fr, pt, it, and names from
 * most of Europe).
 */
export const UPPER = 'A-ZÀ-ÖØ-ÞĀ-ž';
export const LOWER = 'a-zß-öø-ÿĀ-ž';
export const LETTER = 'A-Za-zÀ-ÖØ-öø-ÿĀ-ž';

/**
 * Every match of a global pattern, via `exec` on the shared instance: `matchAll` clones the
 * pattern on each call, which dominates the cost on the many short strings of a JSON body.
 * Not re-entrant for the same pattern (no detector calls itself).
 */
export function* eachMatch(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m[0].length === 0) pattern.lastIndex++;
    yield m;
  }
}
