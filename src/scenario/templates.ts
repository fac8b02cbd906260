import type { Scenario } from './schema.ts';

/**
 * `{{...}}` templates in target fields. Two families: fields used once before the run (start
 * command, its env, url, health) know `{{port}}` and `{{deps.<name>}}`; fields rendered for
 * every turn (request path, headers, body, page path) also know `{{input}}`, `{{session}}`,
 * `{{turn}}`.
 */
const TEMPLATE = /\{\{\s*([^{}]*?)\s*\}\}/g;

const START_VARS = new Set(['port']);
const TURN_VARS = new Set(['port', 'input', 'session', 'turn']);

export interface TemplateProblem {
  /** Path of the field inside the scenario, e.g. `['target', 'request', 'headers', 'x-id']`. */
  path: PropertyKey[];
  message: string;
  hint: string;
}

/** Values for rendering. `deps` holds base URLs of virtual dependencies by name. */
export interface TemplateVars {
  port?: number;
  deps?: Readonly<Record<string, string>>;
  input?: string;
  session?: string;
  turn?: number;
}

/** Replaces every template; `encode` is applied to each substituted value (e.g. for URL paths). */
export function renderTemplate(text: string, vars: TemplateVars, encode: (v: string) => string = (v) => v): string {
  return text.replace(TEMPLATE, (whole, name: string) => {
    const value = lookup(name, vars);
    return value === undefined ? whole : encode(value);
  });
}

/** Renders every string inside a JSON value (request bodies). */
export function renderJson(value: unknown, vars: TemplateVars): unknown {
  if (typeof value === 'string') return renderTemplate(value, vars);
  if (Array.isArray(value)) return value.map((v) => renderJson(v, vars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderJson(v, vars)]));
  }
  return value;
}

function lookup(name: string, vars: TemplateVars): string | undefined {
  if (name.startsWith('deps.')) return vars.deps?.[name.slice(5)];
  switch (name) {
    case 'port':
      return vars.port === undefined ? undefined : String(vars.port);
    case 'input':
      return vars.input;
    case 'session':
      return vars.session;
    case 'turn':
      return vars.turn === undefined ? undefined : String(vars.turn);
    default:
      return undefined;
  }
}

/** Every template in the target that names an unknown variable, dependency, or `{{port}}` without `start`. */
export function checkTemplates(scenario: Scenario): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const target = scenario.target;
  const deps = new Set(Object.keys(scenario.dependencies));
  const hasStart = target.start !== undefined;
  const visit = (value: unknown, path: PropertyKey[], allowed: ReadonlySet<string>): void => {
    if (typeof value === 'string') {
      for (const m of value.matchAll(TEMPLATE)) {
        const problem = checkOne(m[1] ?? '', allowed, deps, hasStart);
        if (problem) problems.push({ path, ...problem });
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, [...path, i], allowed));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, [...path, k], allowed);
    }
  };
  if (target.start) visit(target.start, ['target', 'start'], START_VARS);
  if (target.type === 'function') return problems;
  visit(target.url, ['target', 'url'], START_VARS);
  if (target.type === 'browser') visit(target.page, ['target', 'page'], TURN_VARS);
  else visit(target.request, ['target', 'request'], TURN_VARS);
  return problems;
}

function checkOne(
  name: string,
  allowed: ReadonlySet<string>,
  deps: ReadonlySet<string>,
  hasStart: boolean,
): Omit<TemplateProblem, 'path'> | undefined {
  if (name.startsWith('deps.')) {
    const dep = name.slice(5);
    if (deps.has(dep)) return undefined;
    return {
      message: `template {{${name}}} names dependency "${dep}", which is not declared`,
      hint: deps.size === 0 ? 'declare it under `dependencies:`' : `declared dependencies: ${[...deps].join(', ')}`,
    };
  }
  if (!allowed.has(name)) {
    const turnOnly = TURN_VARS.has(name);
    return {
      message: `unknown template {{${name}}}`,
      hint: turnOnly
        ? `{{${name}}} changes every turn; use it in target.request or target.page, not in url or start`
        : `known templates here: ${[...allowed].map((v) => `{{${v}}}`).join(', ')}, {{deps.<name>}}`,
    };
  }
  if (name === 'port' && !hasStart) {
    return { message: 'template {{port}} used without target.start', hint: '{{port}} is the free port rehearsal picks for the process it starts; add target.start or write the port' };
  }
  return undefined;
}
