import seedrandom from 'seedrandom';

/** A seeded random source: `next()` is uniform in [0, 1). */
export interface Rng {
  next(): number;
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
}

/**
 * Seeding design: every random choice derives its own generator from the run seed plus the
 * coordinates of the choice (session instance, turn, call index, purpose), never from one
 * shared stream. A shared stream makes the n-th draw depend on the interleaving of concurrent
 * sessions; keyed generators make a session's faults and answers identical at concurrency 1
 * and 32, and let `repro` replay one session alone.
 */
export function rngFor(seed: string | number, ...parts: Array<string | number>): Rng {
  const prng = seedrandom([String(seed), ...parts.map(String)].join('\u001f'));
  const next = (): number => prng.quick();
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    chance: (p) => next() < p,
  };
}
