import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import type { LatencyStats } from './report-schema.ts';

/**
 * Latency histograms, serialized so shards merge exactly (the autocannon `histUtil` approach).
 *
 * Design: values are recorded in integer microseconds into an auto-resizing HDR histogram with
 * 3 significant digits, and shipped as HDR's compressed base64 encoding. Two histograms with the
 * same configuration add bucket by bucket, so merging shard histograms gives the very histogram
 * one process would have recorded — percentiles of a merged run are exact, never averaged.
 */
const BUILD = { bitBucketSize: 32, autoResize: true, lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3 } as const;

/** Percentiles every stats block carries; gates can ask the histogram for any other. */
export const STANDARD_PERCENTILES = { p50: 50, p90: 90, p95: 95, p99: 99, p999: 99.9 } as const;

/** A fresh, empty latency histogram (values in microseconds). */
export function newHistogram(): Histogram {
  return hdr.build(BUILD);
}

/** Records a duration given in milliseconds. */
export function recordMs(hist: Histogram, ms: number): void {
  hist.recordValue(Math.max(0, Math.round(ms * 1000)));
}

export function decodeHistogram(encoded: string): Histogram {
  const hist = newHistogram();
  if (encoded !== '') hist.add(hdr.decodeFromCompressedBase64(encoded, BUILD.bitBucketSize));
  return hist;
}

/** Adds serialized histograms into one (exact). */
export function mergeEncoded(encoded: readonly string[]): Histogram {
  const merged = newHistogram();
  for (const e of encoded) if (e !== '') merged.add(hdr.decodeFromCompressedBase64(e, BUILD.bitBucketSize));
  return merged;
}

const toMs = (us: number): number => Math.round(us) / 1000;

/** Value at `percentile` (0–100) in ms, or null when nothing was recorded. */
export function percentileMs(hist: Histogram, percentile: number): number | null {
  return hist.totalCount === 0 ? null : toMs(hist.getValueAtPercentile(percentile));
}

/** The JSON form of a histogram: headline figures plus the lossless encoding. */
export function toStats(hist: Histogram): LatencyStats {
  const count = hist.totalCount;
  const at = (p: number): number | null => percentileMs(hist, p);
  return {
    count,
    mean: count === 0 ? null : Math.round(hist.mean) / 1000,
    // Bucket-resolution max (not the raw maxValue), so a decoded or merged histogram reports the same figure.
    max: at(100),
    p50: at(STANDARD_PERCENTILES.p50),
    p90: at(STANDARD_PERCENTILES.p90),
    p95: at(STANDARD_PERCENTILES.p95),
    p99: at(STANDARD_PERCENTILES.p99),
    p999: at(STANDARD_PERCENTILES.p999),
    hist: count === 0 ? '' : hdr.encodeIntoCompressedBase64(hist),
  };
}

/** Merges stats blocks through their histograms. */
export function mergeStats(stats: readonly LatencyStats[]): LatencyStats {
  return toStats(mergeEncoded(stats.map((s) => s.hist)));
}

/** Histogram bars for charts: `bins` log-spaced buckets from the smallest to the largest value, exact counts. */
export function distribution(stats: LatencyStats, bins = 30): Array<{ fromMs: number; toMs: number; count: number }> {
  if (stats.count === 0) return [];
  const hist = decodeHistogram(stats.hist);
  if (!(hist instanceof hdr.JsHistogram)) throw new TypeError('latency histograms are built as JS histograms');
  const lo = Math.max(1, hist.minNonZeroValue);
  const hi = Math.max(lo + 1, hist.maxValue);
  const step = Math.log(hi / lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  const values = hist.recordedValuesIterator;
  values.reset();
  while (values.hasNext()) {
    const v = values.next();
    const bin = v.valueIteratedTo <= lo ? 0 : Math.min(bins - 1, Math.floor(Math.log(v.valueIteratedTo / lo) / step));
    counts[bin] = (counts[bin] as number) + v.countAtValueIteratedTo;
  }
  return counts.map((count, i) => ({ fromMs: toMs(lo * Math.exp(step * i)), toMs: toMs(lo * Math.exp(step * (i + 1))), count }));
}
