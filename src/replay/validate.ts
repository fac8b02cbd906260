import { validateFaultRules } from '../deps/index.ts';
import { HarnessError } from '../errors.ts';
import { validateGates } from '../report/index.ts';
import type { Scenario } from '../scenario/schema.ts';

/**
 * Checks what the schema cannot: fault rule options (per fault kind) and gate expressions.
 * Runs before `--dry-run` and before anything starts, so a typo in a gate never costs a
 * whole run; every problem is listed in one `HarnessError('CONFIG')`.
 */
export function validateRunnable(scenario: Scenario, source: string): void {
  const issues = [
    ...validateFaultRules(scenario.faults, Object.keys(scenario.dependencies)).map((m) => `faults: ${m}`),
    ...validateGates(scenario.gates).map((g) => `gates[${g.index}] \`${g.gate}\`: ${g.message}`),
  ];
  if (issues.length > 0) {
    throw new HarnessError('CONFIG', `scenario ${source} has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n  - ${issues.join('\n  - ')}`, {
      hint: 'see docs/scenarios.md for fault rules and the report docs for gate expressions',
    });
  }
}
