import { HarnessError } from '../errors.ts';
import { FindingClass } from '../model/index.ts';
import { decodeHistogram, percentileMs } from './histogram.ts';
import type { GateResult, LatencyStats, RunSummary } from './report-schema.ts';

/**
 * k6-style gates: `<metric> <op> <number>`, where metric is
 *   - a finding class (`leakage`), `count(<class>)` or `count(findings)`: number of findings;
 *   - `rate(<class>)` or `rate(findings)`: share of measured sessions with such a finding;
 *   - `p<N>(turn_ms|ttft_ms)` (`p95`, `p99.9`), `avg(…)`, `max(…)`: latency in ms;
 *   - `error_rate`, `turns`, `sessions`, `sessions_completed|failed|aborted|unfinished`,
 *     `findings`, `unmatched_calls`.
 * Thresholds are numbers; latency thresholds may carry `ms` or `s` (`p95(turn_ms) < 4s`).
 */

export type GateOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export type GateMetric =
  | { kind: 'count'; class: FindingClass | 'findings' }
  | { kind: 'rate'; class: FindingClass | 'findings' }
  | { kind: 'latency'; stat: { percentile: number } | 'avg' | 'max'; series: LatencySeries }
  | { kind: 'scalar'; name: ScalarMetric };

export interface Gate {
  expression: string;
  metric: GateMetric;
  op: GateOperator;
  threshold: number;
}

/** One problem with one gate, for the scenario loader to report with every other config issue. */
export interface GateIssue {
  index: number;
  gate: string;
  message: string;
}

const LATENCY_SERIES = { turn_ms: 'turn latency', ttft_ms: 'time to first token' } as const;
type LatencySeries = keyof typeof LATENCY_SERIES;

const SCALARS = {
  error_rate: (s) => s.turns.errorRate,
  turns: (s) => s.turns.total,
  sessions: (s) => s.sessions.byVariant.main.total,
  sessions_completed: (s) => s.sessions.byVariant.main.completed,
  sessions_failed: (s) => s.sessions.byVariant.main.failed,
  sessions_aborted: (s) => s.sessions.byVariant.main.aborted,
  sessions_unfinished: (s) => s.sessions.byVariant.main.unfinished,
  findings: (s) => s.findings.total,
  unmatched_calls: (s) => s.dependencies.reduce((n, d) => n + d.unmatched, 0),
} satisfies Record<string, (s: RunSummary) => number | null>;
type ScalarMetric = keyof typeof SCALARS;

const OPERATORS: readonly GateOperator[] = ['<=', '>=', '==', '!=', '<', '>'];
const GATE = /^\s*([a-z_][a-z0-9_.]*)\s*(?:\(\s*([^()]*?)\s*\))?\s*(<=|>=|==|!=|<|>|=)?\s*(.*?)\s*$/i;

/** Parses one gate; throws a CONFIG HarnessError naming the gate and the problem. */
export function parseGate(expression: string): Gate {
  const fail = (problem: string): never => {
    throw new HarnessError('CONFIG', `gate ${JSON.stringify(expression)}: ${problem}`, {
      hint: 'gates look like `leakage == 0`, `rate(context_loss) < 0.01`, `p95(turn_ms) < 4000`, `error_rate < 0.05`',
    });
  };
  const m = GATE.exec(expression);
  if (!m || expression.trim() === '') return fail('empty or unreadable expression');
  const [, name = '', arg, op, rhs = ''] = m;
  if (op === undefined) return fail(`no comparison operator (use one of ${OPERATORS.join(' ')})`);
  if (op === '=') return fail('use `==` to compare for equality');
  const metric = parseMetric(name.toLowerCase(), arg, fail);
  const threshold = parseThreshold(rhs, metric.kind === 'latency', fail);
  return { expression, metric, op: op as GateOperator, threshold };
}

/** Every problem in a list of gates, without throwing: for validating a scenario up front. */
export function validateGates(gates: readonly string[]): GateIssue[] {
  const issues: GateIssue[] = [];
  gates.forEach((gate, index) => {
    try {
      parseGate(gate);
    } catch (err) {
      if (!(err instanceof HarnessError)) throw err;
      issues.push({ index, gate, message: err.message });
    }
  });
  return issues;
}

/** Parses every gate, failing once with all problems listed. */
export function parseGates(gates: readonly string[]): Gate[] {
  const issues = validateGates(gates);
  if (issues.length > 0) {
    throw new HarnessError('CONFIG', `invalid gates:\n${issues.map((i) => `  gates[${i.index}]: ${i.message}`).join('\n')}`, {
      hint: 'fix the `gates:` list of the scenario (or --gates-from file)',
    });
  }
  return gates.map(parseGate);
}

/** Evaluates gates against a (possibly merged) run summary. A metric without data fails its gate. */
export function evaluateGates(gates: readonly string[], summary: RunSummary): GateResult[] {
  return parseGates(gates).map((gate) => {
    const value = measure(gate.metric, summary);
    if (value === null) return { expression: gate.expression, value: null, passed: false, reason: noDataReason(gate.metric) };
    return { expression: gate.expression, value, passed: compare(value, gate.op, gate.threshold) };
  });
}

export function compare(value: number, op: GateOperator, threshold: number): boolean {
  switch (op) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

function parseMetric(name: string, arg: string | undefined, fail: (problem: string) => never): GateMetric {
  const findingTarget = (fn: string): FindingClass | 'findings' => {
    if (arg === undefined || arg === '') return fail(`${fn}() needs a finding class, e.g. ${fn}(context_loss)`);
    if (arg === 'findings') return 'findings';
    const cls = FindingClass.safeParse(arg);
    return cls.success ? cls.data : fail(`unknown finding class ${JSON.stringify(arg)} (known: ${FindingClass.options.join(', ')}, findings)`);
  };
  if (name === 'count' || name === 'rate') return { kind: name, class: findingTarget(name) };
  const pct = /^p(\d{1,2}(?:\.\d+)?)$/.exec(name);
  if (pct || name === 'avg' || name === 'max') {
    if (arg === undefined || arg === '') return fail(`${name}() needs a latency series: ${Object.keys(LATENCY_SERIES).join(' or ')}`);
    if (!(arg in LATENCY_SERIES)) return fail(`unknown latency series ${JSON.stringify(arg)} (known: ${Object.keys(LATENCY_SERIES).join(', ')})`);
    const stat = pct ? { percentile: Number(pct[1]) } : (name as 'avg' | 'max');
    if (typeof stat === 'object' && !(stat.percentile > 0 && stat.percentile < 100)) return fail(`percentile ${name} must be between p0 and p100`);
    return { kind: 'latency', stat, series: arg as LatencySeries };
  }
  if (arg !== undefined) return fail(`unknown function ${name}() (known: count, rate, pNN, avg, max)`);
  if (FindingClass.safeParse(name).success) return { kind: 'count', class: name as FindingClass };
  if (name in SCALARS) return { kind: 'scalar', name: name as ScalarMetric };
  return fail(
    `unknown metric ${JSON.stringify(name)} (known: ${[...FindingClass.options, ...Object.keys(SCALARS)].join(', ')}, count(), rate(), pNN(), avg(), max())`,
  );
}

function parseThreshold(rhs: string, isLatency: boolean, fail: (problem: string) => never): number {
  if (rhs === '') return fail('no threshold after the operator');
  const m = /^(-?\d+(?:\.\d+)?)(ms|s)?$/.exec(rhs);
  if (!m) return fail(`threshold ${JSON.stringify(rhs)} is not a number`);
  if (m[2] !== undefined && !isLatency) return fail(`unit ${m[2]} only makes sense on latency metrics`);
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
}

function measure(metric: GateMetric, s: RunSummary): number | null {
  switch (metric.kind) {
    case 'count':
      return metric.class === 'findings' ? s.findings.total : s.findings.byClass[metric.class];
    case 'rate': {
      const sessions = s.sessions.byVariant.main.total;
      if (sessions === 0) return null;
      return (metric.class === 'findings' ? s.findings.sessionsWithAny : s.findings.sessionsByClass[metric.class]) / sessions;
    }
    case 'latency':
      return latency(metric.series === 'turn_ms' ? s.latency.turnMs : s.latency.ttftMs, metric.stat);
    case 'scalar':
      return SCALARS[metric.name](s);
  }
}

function latency(stats: LatencyStats, stat: { percentile: number } | 'avg' | 'max'): number | null {
  if (stats.count === 0) return null;
  if (stat === 'avg') return stats.mean;
  if (stat === 'max') return stats.max;
  return percentileMs(decodeHistogram(stats.hist), stat.percentile);
}

function noDataReason(metric: GateMetric): string {
  if (metric.kind === 'latency') return `no ${LATENCY_SERIES[metric.series]} was recorded in the measured window`;
  if (metric.kind === 'rate') return 'no measured sessions';
  return 'no data';
}
