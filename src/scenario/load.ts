import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { HarnessError } from '../errors.ts';
import { Scenario } from './schema.ts';
import { checkTemplates } from './templates.ts';
import { formatPath, locate } from './yaml-locate.ts';

/** Command-line values that win over the file, applied after validation. */
export interface ScenarioOverrides {
  seed?: string;
  speed?: number;
  concurrency?: number;
  /** Output directory (relative to the current directory), replacing `outputs.dir`. */
  outDir?: string;
  cwd?: string;
}

/** A validated scenario with its paths resolved (absolute) and overrides applied. */
export interface LoadedScenario {
  scenario: Scenario;
  /** Absolute path of the scenario file. */
  path: string;
}

interface Problem {
  line: number;
  col: number;
  path: string;
  message: string;
  hint?: string;
}

/**
 * Loads, validates and resolves a scenario file. Every problem (YAML syntax, schema, templates)
 * is collected and thrown at once as one `HarnessError('CONFIG')`, each line giving
 * `file:line:col`, the field path, what is wrong and a hint.
 */
export async function loadScenario(file: string, overrides: ScenarioOverrides = {}): Promise<LoadedScenario> {
  const path = resolve(overrides.cwd ?? process.cwd(), file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new HarnessError('CONFIG', `cannot read scenario ${path}`, { cause: err, hint: 'check the path; scenarios usually live in scenarios/<name>.yaml' });
  }
  const scenario = parseScenarioText(text, path);
  return { scenario: applyOverrides(resolvePaths(scenario, dirname(path)), overrides), path };
}

/** Parses and validates scenario YAML (no path resolution): exported for tests and `repro`. */
export function parseScenarioText(text: string, source: string): Scenario {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const problems: Problem[] = doc.errors.map((e) => {
    const pos = counter.linePos(e.pos[0]);
    return { line: pos.line || 1, col: pos.col, path: '(yaml)', message: e.message.split('\n')[0] ?? e.message, hint: 'fix the YAML syntax' };
  });
  if (problems.length > 0) throw configError(source, problems);

  const result = Scenario.safeParse(doc.toJS());
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(...issueProblems(issue, doc, counter));
  } else {
    for (const p of checkTemplates(result.data)) {
      problems.push({ ...locate(doc, counter, p.path), path: formatPath(p.path), message: p.message, hint: p.hint });
    }
  }
  if (problems.length > 0 || !result.success) throw configError(source, problems);
  return result.data;
}

function issueProblems(issue: z.core.$ZodIssue, doc: ReturnType<typeof parseDocument>, counter: LineCounter): Problem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      ...locate(doc, counter, issue.path, key),
      path: formatPath([...issue.path, key]),
      message: `unknown field "${key}"`,
      hint: 'remove it or fix its spelling (see docs/scenarios.md)',
    }));
  }
  const pos = locate(doc, counter, issue.path);
  const problem: Problem = { ...pos, path: formatPath(issue.path), message: issue.message };
  const hint = hintFor(issue);
  if (hint) problem.hint = hint;
  return [problem];
}

function hintFor(issue: z.core.$ZodIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'this field is required' : `expected ${issue.expected}`;
    case 'invalid_value':
      return `one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return 'see docs/scenarios.md for the accepted forms';
    default:
      return undefined;
  }
}

function configError(source: string, problems: Problem[]): HarnessError {
  problems.sort((a, b) => a.line - b.line || a.col - b.col);
  const lines = problems.map((p) => `  ${source}:${p.line}:${p.col}  ${p.path}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`);
  return new HarnessError('CONFIG', `scenario ${source} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}`, {
    hint: 'fix every listed field; `rehearse run <scenario> --dry-run` checks a scenario without sending anything',
  });
}

const abs = (dir: string, p: string): string => (isAbsolute(p) ? p : resolve(dir, p));

/** Resolves recordings, module, every start.cwd and outputs.dir against the scenario's directory. */
export function resolvePaths(scenario: Scenario, dir: string): Scenario {
  const target = { ...scenario.target };
  if (target.start) target.start = { ...target.start, cwd: abs(dir, target.start.cwd ?? '.') };
  if (target.type === 'function') target.module = abs(dir, target.module);
  const dependencies = Object.fromEntries(
    Object.entries(scenario.dependencies).map(([name, dep]) => [name, dep.start ? { ...dep, start: { ...dep.start, cwd: abs(dir, dep.start.cwd ?? '.') } } : dep]),
  );
  return {
    ...scenario,
    recordings: scenario.recordings.map((r) => abs(dir, r)),
    target,
    dependencies,
    outputs: { ...scenario.outputs, dir: abs(dir, scenario.outputs.dir) },
  };
}

/** Applies command-line overrides to a validated scenario. */
export function applyOverrides(scenario: Scenario, overrides: ScenarioOverrides): Scenario {
  const load = { ...scenario.load };
  if (overrides.speed !== undefined) load.speed = overrides.speed;
  if (overrides.concurrency !== undefined) load.concurrency = overrides.concurrency;
  const outputs = overrides.outDir === undefined ? scenario.outputs : { ...scenario.outputs, dir: resolve(overrides.cwd ?? process.cwd(), overrides.outDir) };
  return { ...scenario, seed: overrides.seed ?? scenario.seed, load, outputs };
}
