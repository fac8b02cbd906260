import type { InstanceData, RunData } from '../journal/journal-reader.ts';
import { FindingClass, type Finding } from '../model/index.ts';

/** Failure counts of one slice of the run's main instances. */
export interface SegmentRates {
  instances: number;
  /** Instances with at least one finding, of any class. */
  failing: number;
  rate: number;
  /** Per class: instances with at least one finding of that class, and that over `instances`. */
  byClass: Record<FindingClass, { failing: number; rate: number }>;
}

export interface SegmentBreakdown {
  overall: SegmentRates;
  /** One row per segment key and value (`language=es`), sorted by key then value. */
  bySegment: Array<{ key: string; value: string } & SegmentRates>;
  /** By number of turns played: `1`, `2-3`, `4-6`, `7+`. */
  byTurnBucket: Array<{ bucket: string } & SegmentRates>;
  /** By tool called at least once in the instance (`tool` kind calls). */
  byTool: Array<{ tool: string } & SegmentRates>;
}

const BUCKETS: ReadonlyArray<[string, number]> = [['1', 1], ['2-3', 3], ['4-6', 6], ['7+', Infinity]];

/** Which turn-count bucket an instance with `turns` turns falls in. */
export function turnBucket(turns: number): string {
  return (BUCKETS.find(([, max]) => turns <= max) ?? BUCKETS[BUCKETS.length - 1] ?? ['7+'])[0];
}

/**
 * Failure rates per class and per slice of the run: per segment tag, per turn-count bucket,
 * per tool used. Pure: reporters render it. Aggregate pass rates hide the segment that fails,
 * so every row carries its own denominator. Only `main` instances count.
 */
export function failureRatesBySegment(run: RunData, findings: readonly Finding[]): SegmentBreakdown {
  const classesOf = new Map<string, Set<FindingClass>>();
  for (const f of findings) {
    const set = classesOf.get(f.sessionInstance) ?? new Set<FindingClass>();
    set.add(f.class);
    classesOf.set(f.sessionInstance, set);
  }
  const main = [...run.instances.values()].filter((d) => d.start.variant === 'main');
  const rates = (slice: InstanceData[]): SegmentRates => {
    const byClass = Object.fromEntries(FindingClass.options.map((c) => {
      const failing = slice.filter((d) => classesOf.get(d.start.instance)?.has(c)).length;
      return [c, { failing, rate: ratio(failing, slice.length) }];
    })) as SegmentRates['byClass'];
    const failing = slice.filter((d) => (classesOf.get(d.start.instance)?.size ?? 0) > 0).length;
    return { instances: slice.length, failing, rate: ratio(failing, slice.length), byClass };
  };
  const slices = <K extends string>(keysOf: (d: InstanceData) => K[]): Map<K, InstanceData[]> => {
    const map = new Map<K, InstanceData[]>();
    for (const d of main) for (const k of keysOf(d)) map.set(k, [...(map.get(k) ?? []), d]);
    return new Map([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  };
  const SEP = '\u0000';
  return {
    overall: rates(main),
    bySegment: [...slices((d) => Object.entries(d.start.segment).map(([k, v]) => `${k}${SEP}${v}`))].map(([kv, slice]) => {
      const [key = '', value = ''] = kv.split(SEP);
      return { key, value, ...rates(slice) };
    }),
    byTurnBucket: [...slices((d) => [turnBucket(d.turns.length)])]
      .sort(([a], [b]) => BUCKETS.findIndex(([n]) => n === a) - BUCKETS.findIndex(([n]) => n === b))
      .map(([bucket, slice]) => ({ bucket, ...rates(slice) })),
    byTool: [...slices((d) => [...new Set(d.calls.filter((c) => c.kind === 'tool').map((c) => c.name))])].map(([tool, slice]) => ({ tool, ...rates(slice) })),
  };
}

function ratio(n: number, d: number): number {
  return d === 0 ? 0 : n / d;
}
