import type { Finding } from '../model/index.ts';

/**
 * The few findings a console log or a PR comment lists, out of possibly hundreds.
 *
 * Design: listing the top N by severity shows one noisy session's five findings of one class and
 * hides every other problem. So the list is built in three passes over the findings, which come
 * worst first (`sortFindings`):
 * 1. the worst finding of each class, classes in order of their worst finding, preferring an
 *    instance not listed yet — every class is shown as long as there is room;
 * 2. then the worst remaining finding of each instance not listed yet;
 * 3. then whatever is worst among the rest.
 * The picks are returned in their original (worst-first) order.
 */
export function worstFindings(sorted: readonly Finding[], limit: number): Finding[] {
  const picked = new Set<Finding>();
  const instances = new Set<string>();
  const pick = (f: Finding) => {
    picked.add(f);
    instances.add(f.sessionInstance);
  };
  const classes = new Set<string>();
  for (const f of sorted) {
    if (picked.size >= limit) break;
    if (classes.has(f.class)) continue;
    classes.add(f.class);
    const sameClass = sorted.filter((g) => g.class === f.class);
    pick(sameClass.find((g) => !instances.has(g.sessionInstance)) ?? f);
  }
  for (const f of sorted) {
    if (picked.size >= limit) break;
    if (!picked.has(f) && !instances.has(f.sessionInstance)) pick(f);
  }
  for (const f of sorted) {
    if (picked.size >= limit) break;
    if (!picked.has(f)) pick(f);
  }
  return sorted.filter((f) => picked.has(f));
}

/** `… and 12 more (2 classes not listed: cascade, schema_drift)` — empty when nothing is left out. */
export function moreFindingsNote(all: readonly Finding[], listed: readonly Finding[]): string {
  const rest = all.length - listed.length;
  if (rest <= 0) return '';
  const shown = new Set(listed.map((f) => f.class));
  const hidden = [...new Set(all.map((f) => f.class))].filter((c) => !shown.has(c));
  return `… and ${rest} more${hidden.length > 0 ? ` (${hidden.length} ${hidden.length === 1 ? 'class' : 'classes'} not listed: ${hidden.join(', ')})` : ''}`;
}
