import type { Session } from '../model/index.ts';
import type { Scenario } from '../scenario/schema.ts';
import { rngFor } from '../util/rng.ts';
import { stableHash32 } from '../util/stable-hash.ts';

/** `--shard i/n`: 1-based index of n. */
export interface Shard {
  index: number;
  count: number;
}

/** Why sessions were left out, for the dry-run plan. */
export interface SelectionSummary {
  available: number;
  /** Passed ids / segment / turn-count filters. */
  matched: number;
  /** After the seeded sample. */
  sampled: number;
  /** In this shard (equals `sampled` without sharding). */
  selected: number;
}

/**
 * Picks the sessions to play: filters, then a seeded sample, then the shard. The sample ranks
 * each session by its own keyed draw (`rngFor(seed, 'select', id)`), so the choice depends
 * neither on archive order nor on sharding: every shard agrees on the sample and takes its part.
 */
export function selectSessions(all: readonly Session[], scenario: Scenario, shard?: Shard): { sessions: Session[]; summary: SelectionSummary } {
  const sel = scenario.select;
  const ids = sel.ids ? new Set(sel.ids) : undefined;
  const matched = all.filter((s) => {
    if (ids && !ids.has(s.id)) return false;
    if (sel.minTurns !== undefined && s.turns.length < sel.minTurns) return false;
    if (sel.maxTurns !== undefined && s.turns.length > sel.maxTurns) return false;
    for (const [key, values] of Object.entries(sel.segments ?? {})) {
      const value = s.segment[key];
      if (value === undefined || !values.includes(value)) return false;
    }
    return true;
  });
  let sampled = matched;
  if (sel.sessions !== undefined && sel.sessions < matched.length) {
    const rank = new Map(matched.map((s) => [s.id, rngFor(scenario.seed, 'select', s.id).next()]));
    const keep = new Set([...matched].sort((a, b) => (rank.get(a.id) as number) - (rank.get(b.id) as number)).slice(0, sel.sessions).map((s) => s.id));
    sampled = matched.filter((s) => keep.has(s.id));
  }
  const sessions = shard ? sampled.filter((s) => shardOf(s.id, shard.count) === shard.index) : sampled;
  return { sessions, summary: { available: all.length, matched: matched.length, sampled: sampled.length, selected: sessions.length } };
}

/** The 1-based shard a recorded session id belongs to: a stable hash, the same on every machine. */
export function shardOf(recordedId: string, count: number): number {
  return (stableHash32(recordedId) % count) + 1;
}

/** Parses `i/n` (1 ≤ i ≤ n). */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return index >= 1 && count >= 1 && index <= count ? { index, count } : undefined;
}
