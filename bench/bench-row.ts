/**
 * One row of `npm run bench`. Figures are compared with a reference measured in the same run
 * on the same machine, so the ratio means something on any hardware.
 */
export interface BenchRow {
  /** e.g. `archive read (gzip)` */
  benchmark: string;
  /** The measured figure, e.g. 412.3 */
  figure: number;
  /** e.g. `MB/s`, `ms`, `turns/s`, `MiB` */
  unit: string;
  /** What the figure is compared with, e.g. `JSON.parse` */
  referenceName: string;
  reference: number;
  /** figure / reference (or the inverse where lower is better, see `target`). */
  ratio: number;
  /** The target in words, e.g. `ratio ≥ 0.5`. */
  target: string;
  /** Whether the target was met. */
  met: boolean;
}

/** A benchmark module under bench/: `export default (async () => BenchRow[]) satisfies Benchmark`. */
export type Benchmark = () => Promise<BenchRow[]>;
