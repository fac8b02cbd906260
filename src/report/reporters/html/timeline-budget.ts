import type { Finding } from '../../../model/index.ts';

/** Turn timelines embedded in one report.html: about 40 MB of page at the sizes seen in runs. */
export const MAX_TIMELINE_TURNS = 20_000;

const SEVERITY_RANK: Readonly<Record<Finding['severity'], number>> = { critical: 0, high: 1, medium: 2, low: 3 };

interface SessionRow {
  instance: string;
  status: string;
  turns: number;
}

/**
 * Which sessions' turn-by-turn timelines report.html embeds. A load rehearsal of thousands of
 * sessions would make a page no browser opens, so the timelines get a budget in turns and go
 * first to the sessions someone will click: those with findings (most severe first), then
 * failed or aborted ones, then the rest in report order. A session gets its whole timeline or
 * none; the journal keeps everything and `rehearse repro` replays any session.
 */
export function chooseTimelines(rows: readonly SessionRow[], findings: readonly Pick<Finding, 'sessionInstance' | 'severity'>[], budgetTurns = MAX_TIMELINE_TURNS): Set<string> {
  const worst = new Map<string, number>();
  for (const f of findings) worst.set(f.sessionInstance, Math.min(worst.get(f.sessionInstance) ?? Infinity, SEVERITY_RANK[f.severity]));
  const rank = (r: SessionRow) => worst.get(r.instance) ?? (r.status === 'completed' ? 5 : 4);
  const ordered = rows.map((row, index) => ({ row, index })).sort((a, b) => rank(a.row) - rank(b.row) || a.index - b.index);
  const chosen = new Set<string>();
  let left = budgetTurns;
  for (const { row } of ordered) {
    if (row.turns > left) continue;
    chosen.add(row.instance);
    left -= row.turns;
  }
  return chosen;
}
