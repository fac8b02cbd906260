import type { AppliedFault } from '../../model/index.ts';
import type { FaultRule } from '../../scenario/schema.ts';
import { rngFor } from '../../util/rng.ts';
import { faultKind } from './registry.ts';

/** Where a call sits, for deciding its faults. */
export interface FaultCoords {
  seed: string;
  /** The instance's stable seed key (`InstanceContext.seedKey`). */
  seedKey: string;
  dependency: string;
  /** Exchange name (model id, tool, index) as matched, or the dependency name. */
  name: string;
  turn: number;
  /** n-th call to this dependency within the turn (0-based). */
  callIndex: number;
}

/**
 * Whether rule `ruleIndex` covers this instance at all (its `sessions` fraction). Drawn from
 * the instance's own generator for the rule, so it is the same for every call of the instance.
 */
export function ruleCoversInstance(rule: FaultRule, ruleIndex: number, seed: string, seedKey: string): boolean {
  return rule.sessions === undefined || rngFor(seed, seedKey, 'rule', ruleIndex).next() < rule.sessions;
}

/**
 * The faults that apply to one call, in rule order (rule 0 wraps outermost).
 *
 * Design note: a pure function of (rules, coordinates). Every random draw uses a generator
 * keyed by `(seed, seedKey, turn, dependency, callIndex, ruleIndex, purpose)`, and the
 * `sessions` fraction one keyed by `(seed, seedKey, 'rule', ruleIndex)`: no shared stream, so
 * a call's faults do not depend on how many calls of other sessions came before it, and the
 * schedule is the same at concurrency 1 and 32 and in `repro`.
 */
export function decideFaults(rules: readonly FaultRule[], coords: FaultCoords): AppliedFault[] {
  const applied: AppliedFault[] = [];
  rules.forEach((rule, ruleIndex) => {
    if (rule.dependency !== undefined && rule.dependency !== coords.dependency) return;
    if (rule.name !== undefined && rule.name !== coords.name) return;
    if (rule.turns !== undefined && !rule.turns.includes(coords.turn)) return;
    if (rule.calls !== undefined && !rule.calls.includes(coords.callIndex)) return;
    if (!ruleCoversInstance(rule, ruleIndex, coords.seed, coords.seedKey)) return;
    const rng = (purpose: string) => rngFor(coords.seed, coords.seedKey, coords.turn, coords.dependency, coords.callIndex, ruleIndex, purpose);
    if (rule.probability < 1 && !rng('probability').chance(rule.probability)) return;
    const kind = faultKind(rule.kind);
    if (!kind) return;
    applied.push({ kind: rule.kind, rule: ruleIndex, detail: kind.draw(rule, rng('draw')) });
  });
  return applied;
}

/**
 * Every problem in the fault rules, all at once (`rules[2] (latency): distribution uniform
 * needs \`max\``), including references to dependencies the scenario does not declare.
 */
export function validateFaultRules(rules: readonly FaultRule[], dependencies: readonly string[]): string[] {
  return rules.flatMap((rule, i) => {
    const kind = faultKind(rule.kind);
    const issues = kind ? kind.validate(rule) : [`unknown fault kind \`${rule.kind}\``];
    if (rule.dependency !== undefined && !dependencies.includes(rule.dependency)) {
      issues.push(`dependency \`${rule.dependency}\` is not declared (declared: ${dependencies.join(', ') || 'none'})`);
    }
    return issues.map((issue) => `faults[${i}] (${rule.kind}): ${issue}`);
  });
}
