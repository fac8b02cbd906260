import type { Session, SessionVariant } from '../model/index.ts';
import { ruleCoversInstance } from '../deps/index.ts';
import type { Scenario } from '../scenario/schema.ts';

/** One session instance the run will play. */
export interface PlannedInstance {
  /** The session id sent to the target: `<runTag>-<recordedId>-c<clone>[-ctl|-base]`, unique per run. */
  instance: string;
  /** `<recordedId>~c<clone>`: seeds every random choice of the instance, independent of run id and interleaving. */
  seedKey: string;
  recordedId: string;
  clone: number;
  variant: SessionVariant;
  /** For control / baseline: the main instance it shadows (and starts after). */
  shadowOf?: string;
  /** True when at least one fault rule may apply (always false for control instances). */
  faulted: boolean;
}

/** The seed key of clone `clone` of a recorded session. */
export const seedKeyOf = (recordedId: string, clone: number): string => `${recordedId}~c${clone}`;

/**
 * Expands selected sessions into instances: `clones` main instances per session (clone-major:
 * every session's clone 0, then every clone 1, …), then for each faulted main instance a
 * control (same seed key, faults off) when `control.faulted`, and for each clone-0 instance a
 * baseline repeat (same seed key and faults: the difference between the two is noise) when
 * `control.baseline`. Shadows start after the instance they shadow ends.
 */
export function expandInstances(sessions: readonly Session[], scenario: Scenario, runTag: string): PlannedInstance[] {
  const mains: PlannedInstance[] = [];
  for (let clone = 0; clone < scenario.load.clones; clone++) {
    for (const s of sessions) {
      const seedKey = seedKeyOf(s.id, clone);
      mains.push({ instance: `${runTag}-${s.id}-c${clone}`, seedKey, recordedId: s.id, clone, variant: 'main', faulted: mayFault(scenario, seedKey) });
    }
  }
  const shadows: PlannedInstance[] = [];
  for (const main of mains) {
    if (scenario.control.faulted && main.faulted) {
      shadows.push({ ...main, instance: `${main.instance}-ctl`, variant: 'control', shadowOf: main.instance, faulted: false });
    }
    if (scenario.control.baseline && main.clone === 0) {
      shadows.push({ ...main, instance: `${main.instance}-base`, variant: 'baseline', shadowOf: main.instance });
    }
  }
  return [...mains, ...shadows];
}

/**
 * Whether any fault rule may apply to an instance: a rule with `sessions: <f>` covers the
 * instance by the virtual dependencies' own seeded draw (`ruleCoversInstance`), so this is
 * exactly their choice; per-call scope and probability are decided call by call ("may").
 */
function mayFault(scenario: Scenario, seedKey: string): boolean {
  return scenario.faults.some((rule, i) => rule.probability > 0 && ruleCoversInstance(rule, i, scenario.seed, seedKey));
}
