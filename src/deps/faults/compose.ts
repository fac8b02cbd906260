import type { AppliedFault } from '../../model/index.ts';
import { HarnessError } from '../../errors.ts';
import type { Handler } from './fault-kind.ts';
import { faultKind } from './registry.ts';

/**
 * The fault plan of one call as a handler: each applied fault wraps the next, the first rule
 * outermost (a latency rule before an error rule delays the error). `terminal` produces the
 * undisturbed answer (replay, proxy or unmatched).
 */
export function composeFaults(applied: readonly AppliedFault[], terminal: Handler): Handler {
  return applied.reduceRight<Handler>((next, fault) => {
    const kind = faultKind(fault.kind);
    if (!kind) throw new HarnessError('INTERNAL', `no fault kind named ${fault.kind} (rule ${fault.rule})`);
    return kind.wrap(fault.detail, next);
  }, terminal);
}

/** One line per applied fault, for traces: `latency 812 ms (rule 0)`. */
export function describeApplied(applied: readonly AppliedFault[]): string {
  return applied.map((f) => `${faultKind(f.kind)?.describe(f.detail) ?? f.kind} (rule ${f.rule})`).join(', ');
}
