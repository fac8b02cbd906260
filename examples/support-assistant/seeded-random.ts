import seedrandom from 'seedrandom';

/**
 * A small seeded random source. Every stream is keyed by its parts (seed, session index, ...)
 * rather than drawn from one shared stream, so adding a session never changes another one.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T;
}

export function rngFor(seed: string, ...parts: ReadonlyArray<string | number>): Rng {
  const prng = seedrandom([seed, ...parts].join('\u241f'));
  const next = (): number => prng.double();
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('rng.pick() on an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
      const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
      let roll = next() * total;
      for (const [value, weight] of entries) {
        roll -= weight;
        if (roll < 0) return value;
      }
      const last = entries[entries.length - 1];
      if (!last) throw new Error('rng.weighted() on an empty list');
      return last[0];
    },
  };
}

/** A stable 32-bit FNV-1a hash, for deterministic jitter that needs no stream at all. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
