import type { FaultRule } from '../../scenario/schema.ts';
import type { Rng } from '../../util/rng.ts';
import type { FaultKind } from './fault-kind.ts';
import { waitOrDrop } from './wait.ts';

type LatencyRule = Extract<FaultRule, { kind: 'latency' }>;
/** `ms` drawn up front, or a factor of the matched recording's duration (known only when served). */
export type LatencyDetail = { ms: number } | { recordedFactor: number };

/** z-score of the 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;

/** A standard normal draw (Box–Muller) from two uniforms of the call's own generator. */
function standardNormal(rng: Rng): number {
  const u = 1 - rng.next(); // (0, 1]: log(0) is not a number
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function drawMs(rule: LatencyRule, rng: Rng): number {
  switch (rule.distribution) {
    case 'fixed':
      return rule.ms ?? 0;
    case 'uniform': {
      const min = rule.min ?? 0;
      return min + rng.next() * ((rule.max ?? min) - min);
    }
    case 'normal':
      return Math.max(0, (rule.mean ?? 0) + (rule.stddev ?? 0) * standardNormal(rng));
    case 'lognormal': {
      // p50 = e^mu and p99 = e^(mu + Z99·sigma) fix both parameters.
      const mu = Math.log(rule.p50 ?? 1);
      const sigma = (Math.log(rule.p99 ?? 1) - mu) / Z99;
      return Math.exp(mu + sigma * standardNormal(rng));
    }
    case 'recorded':
      return 0;
  }
}

/** Delays the answer (before its status line) by a seeded draw from the rule's distribution. */
export const latency: FaultKind<LatencyRule, LatencyDetail> = {
  validate(rule) {
    const need = (fields: Array<keyof LatencyRule>): string[] =>
      fields.filter((f) => rule[f] === undefined).map((f) => `distribution ${rule.distribution} needs \`${String(f)}\``);
    switch (rule.distribution) {
      case 'fixed':
        return need(['ms']);
      case 'uniform':
        return [...need(['min', 'max']), ...((rule.max ?? 0) < (rule.min ?? 0) ? ['`max` is below `min`'] : [])];
      case 'normal':
        return need(['mean', 'stddev']);
      case 'lognormal':
        return [
          ...need(['p50', 'p99']),
          ...(rule.p50 !== undefined && rule.p50 <= 0 ? ['`p50` must be above 0'] : []),
          ...((rule.p99 ?? Infinity) < (rule.p50 ?? 0) ? ['`p99` is below `p50`'] : []),
        ];
      case 'recorded':
        return need(['factor']);
    }
  },
  draw: (rule, rng) => (rule.distribution === 'recorded' ? { recordedFactor: rule.factor ?? 1 } : { ms: Math.round(drawMs(rule, rng)) }),
  wrap: (detail, next) => async (call) => {
    const ms = 'ms' in detail ? detail.ms : (call.recordedDurationMs ?? 0) * detail.recordedFactor;
    return (await waitOrDrop(call, ms)) ?? next(call);
  },
  describe: (detail) => ('ms' in detail ? `latency ${detail.ms} ms` : `latency recorded × ${detail.recordedFactor}`),
};
