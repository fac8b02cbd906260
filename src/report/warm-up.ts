import type { WarmUpEvent } from '../model/index.ts';
import { formatMs } from './format.ts';
import type { WarmUpSummary } from './report-schema.ts';

/** Distinct failures a summary keeps. */
const MAX_ERRORS = 5;

/** Adds up warm-up events (one per process), or `undefined` when there were none. */
export function summarizeWarmUps(events: readonly WarmUpEvent[]): WarmUpSummary | undefined {
  return mergeWarmUps(events.map(summarizeWarmUp));
}

/** One warm-up event as a summary (what `rehearse run` prints as it starts). */
export function summarizeWarmUp(e: WarmUpEvent): WarmUpSummary {
  return {
    warmUps: 1,
    connections: e.connections,
    requests: e.requests,
    paths: e.path === undefined ? [] : [e.path],
    errors: e.errors,
    skipped: e.skipped === undefined ? [] : [e.skipped],
    durationMs: e.durationMs,
  };
}

/** Adds up warm-up summaries (shards merged by `merge-reports`); `undefined` when none warmed up. */
export function mergeWarmUps(parts: ReadonlyArray<WarmUpSummary | undefined>): WarmUpSummary | undefined {
  const present = parts.filter((p): p is WarmUpSummary => p !== undefined);
  if (present.length === 0) return undefined;
  const sum = (f: (p: WarmUpSummary) => number) => present.reduce((n, p) => n + f(p), 0);
  return {
    warmUps: sum((p) => p.warmUps),
    connections: { wanted: sum((p) => p.connections.wanted), open: sum((p) => p.connections.open) },
    requests: { ok: sum((p) => p.requests.ok), failed: sum((p) => p.requests.failed) },
    paths: [...new Set(present.flatMap((p) => p.paths))],
    errors: [...new Set(present.flatMap((p) => p.errors))].slice(0, MAX_ERRORS),
    skipped: present.flatMap((p) => p.skipped),
    durationMs: Math.max(...present.map((p) => p.durationMs)),
  };
}

/**
 * One line for the console, summary.md and report.html: `8 of 8 connections open before t = 0
 * (GET /health, 12 ms)`, failures and skips appended.
 */
export function describeWarmUp(w: WarmUpSummary): string {
  const parts: string[] = [];
  const sent = w.requests.ok + w.requests.failed;
  const across = w.warmUps > 1 ? ` over ${w.warmUps} warm-ups` : '';
  if (sent > 0) {
    parts.push(`${w.connections.open} of ${w.connections.wanted} connections open before t = 0${across} (GET ${w.paths.join(', ')}, ${formatMs(w.durationMs)})`);
    if (w.requests.failed > 0) parts.push(`${w.requests.failed} of ${sent} requests failed: ${w.errors.join('; ')}`);
  } else {
    parts.push('no connections pre-opened');
  }
  const skipped = [...new Set(w.skipped)];
  if (skipped.length > 0) parts.push(`${sent > 0 ? `${w.skipped.length} warm-up${w.skipped.length === 1 ? '' : 's'} skipped: ` : ''}${skipped.join('; ')}`);
  return `warm-up: ${parts.join('; ')}`;
}
