import type { RunData } from '../journal/journal-reader.ts';

/**
 * Reads what reports need from the resolved scenario stored in run-start (`config` is typed
 * `unknown` in the journal so old journals keep loading): the warm-up window and the gates.
 */
export function warmupMsOf(run: RunData): number {
  const load = recordField(run.start.config, 'load');
  const warmup = load === undefined ? undefined : load['warmup'];
  return typeof warmup === 'number' && Number.isFinite(warmup) && warmup > 0 ? warmup : 0;
}

/** The scenario's gates as recorded in the journal, or none. */
export function gatesOf(run: RunData): string[] {
  const config = run.start.config;
  const gates = typeof config === 'object' && config !== null ? (config as Record<string, unknown>)['gates'] : undefined;
  return Array.isArray(gates) ? gates.filter((g): g is string => typeof g === 'string') : [];
}

function recordField(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'object' && field !== null ? (field as Record<string, unknown>) : undefined;
}
