import { z } from 'zod';
import { HarnessError } from '../errors.ts';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `250ms`, `1.5s`, `2m`, `1h` or a bare number of milliseconds. */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim());
  if (!m) throw new RangeError(`not a duration: ${JSON.stringify(value)} (use e.g. 250ms, 1.5s, 2m, 1h)`);
  return Number(m[1]) * (UNITS[m[2] as string] as number);
}

/** A duration given on the command line, or a USAGE error naming the option. */
export function parseDurationOption(value: string, option: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new HarnessError('USAGE', `${option} ${JSON.stringify(value)} is not a duration`, { hint: 'e.g. 250ms, 30s, 5m, 1h', cause: err });
  }
}

/** A duration in YAML: `250ms`, `2s`, or milliseconds as a number; parsed to milliseconds. */
export const Duration = z
  .union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)$/, 'a duration like 250ms, 2s, 5m')])
  .transform((v) => parseDuration(v));
