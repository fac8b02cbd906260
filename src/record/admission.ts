/**
 * Which sessions get recorded: a fraction sampled consistently per session (the same id always
 * gives the same answer, in every recorder process), and per-segment caps so a dominant segment
 * stops filling the recording while the long tail keeps being recorded.
 */
import { HarnessError } from '../errors.ts';
import { stableHash32 } from '../util/stable-hash.ts';

/** Position of a session id in [0, 1), stable across processes. */
export function sessionFraction(sessionKey: string): number {
  return stableHash32(sessionKey) / 2 ** 32;
}

export function sampledIn(sessionKey: string, rate: number): boolean {
  return rate >= 1 || sessionFraction(sessionKey) < rate;
}

export interface SegmentCap {
  tag: string;
  value: string;
  max: number;
}

/** Parses `channel=web:500`. */
export function parseSegmentCap(spec: string): SegmentCap {
  const m = /^([^=]+)=(.*):(\d+)$/.exec(spec);
  if (!m) {
    throw new HarnessError('USAGE', `--segment-cap ${JSON.stringify(spec)} is not <tag>=<value>:<max>`, {
      hint: 'e.g. --segment-cap channel=web:500 keeps at most 500 sessions whose channel is web',
    });
  }
  return { tag: m[1] as string, value: m[2] as string, max: Number(m[3]) };
}

export type Admission = 'admit' | 'sampledOut' | 'segmentCap';

export class AdmissionPolicy {
  readonly #rate: number;
  readonly #caps: SegmentCap[];
  readonly #admitted = new Map<SegmentCap, number>();

  constructor(rate: number, caps: SegmentCap[]) {
    if (!(rate > 0 && rate <= 1)) {
      throw new HarnessError('USAGE', `--sample ${rate} is not in (0, 1]`, { hint: 'e.g. --sample 0.25 records one session in four' });
    }
    this.#rate = rate;
    this.#caps = caps;
  }

  /** Decides once per session; counts admitted sessions against the caps they fall under. */
  decide(sessionKey: string, segment: Record<string, string>): Admission {
    if (!sampledIn(sessionKey, this.#rate)) return 'sampledOut';
    const hits = this.#caps.filter((c) => segment[c.tag] === c.value);
    if (hits.some((c) => (this.#admitted.get(c) ?? 0) >= c.max)) return 'segmentCap';
    for (const c of hits) this.#admitted.set(c, (this.#admitted.get(c) ?? 0) + 1);
    return 'admit';
  }
}
