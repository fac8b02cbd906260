import type { AppliedFault, Session } from '../../model/index.ts';
import type { FaultRule } from '../../scenario/schema.ts';
import { describeApplied } from './compose.ts';
import { decideFaults } from './decide.ts';

/** The faults one recorded call of a session instance will get, if the app makes it again. */
export interface FaultPlanEntry {
  turn: number;
  dependency: string;
  name: string;
  callIndex: number;
  faults: AppliedFault[];
}

export interface FaultPlanOptions {
  seed: string;
  seedKey: string;
  session: Session;
  /** False for control instances: the plan is empty. */
  faultsEnabled?: boolean;
}

/**
 * The fault schedule of one session instance over its recorded calls, for `--dry-run` and
 * `repro` to print before playing. It is exactly what the server will decide for the same
 * coordinates; calls the app makes beyond the recording get their own (equally seeded) draws.
 */
export function describeFaultPlan(rules: readonly FaultRule[], options: FaultPlanOptions): FaultPlanEntry[] {
  if (options.faultsEnabled === false || rules.length === 0) return [];
  const entries: FaultPlanEntry[] = [];
  for (const turn of options.session.turns) {
    const perDependency = new Map<string, number>();
    for (const exchange of turn.exchanges) {
      const callIndex = perDependency.get(exchange.dependency) ?? 0;
      perDependency.set(exchange.dependency, callIndex + 1);
      const coords = { seed: options.seed, seedKey: options.seedKey, dependency: exchange.dependency, name: exchange.name, turn: turn.index, callIndex };
      const faults = decideFaults(rules, coords);
      if (faults.length > 0) entries.push({ turn: turn.index, dependency: exchange.dependency, name: exchange.name, callIndex, faults });
    }
  }
  return entries;
}

/** The plan as lines: `turn 2 llm call 0 (gpt-4o): latency 812 ms (rule 0), http-error 503 (rule 1)`. */
export function formatFaultPlan(entries: readonly FaultPlanEntry[]): string[] {
  if (entries.length === 0) return ['no faults'];
  return entries.map((e) => `turn ${e.turn} ${e.dependency} call ${e.callIndex} (${e.name}): ${describeApplied(e.faults)}`);
}
