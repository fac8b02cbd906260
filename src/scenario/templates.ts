import type { Scenario } from './schema.ts';

/**
 * `{{...}}` templates in target and dependency fields. Two families: fields used once before
 * the run (start command, its env, url, health, a dependency's upstream) know `{{port}}` and,
 * in the target, `{{deps.<name>}}`; fields rendered for every turn (request path, headers,
 * body, page path) also know `{{input}}`, `{{session}}`, `{{turn}}`. `{{port}}` is the port
 * picked for the `start` of the same section: the target's, or that dependency's.
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

/** Where a template is checked: which variables it may use and where its `{{port}}` comes from. */
interface TemplateScope {
  allowed: ReadonlySet<string>;
  /** `{{deps.<name>}}` allowed (false in dependency fields: those processes start first). */
  depsAllowed: boolean;
  /** The `start` field that picks `{{port}}` here: `target.start`, `dependencies.<name>.start`. */
  startField: string;
  hasStart: boolean;
  /** Says where `{{port}}` comes from when it is missing. */
  portHint: string;
}

/**
 * Every template that names an unknown variable or dependency, or `{{port}}` without the
 * `start` that picks it: in the target, and in each dependency's `start` and `upstream`.
 */
export function checkTemplates(scenario: Scenario): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const target = scenario.target;
  const deps = new Set(Object.keys(scenario.dependencies));
  const visit = (value: unknown, path: PropertyKey[], scope: TemplateScope): void => {
    if (typeof value === 'string') {
      for (const m of value.matchAll(TEMPLATE)) {
        const problem = checkOne(m[1] ?? '', scope, deps);
        if (problem) problems.push({ path, ...problem });
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, [...path, i], scope));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, [...path, k], scope);
    }
  };
  for (const [name, dep] of Object.entries(scenario.dependencies)) {
    const scope: TemplateScope = {
      allowed: START_VARS,
      depsAllowed: false,
      startField: `dependencies.${name}.start`,
      hasStart: dep.start !== undefined,
      portHint: `{{port}} in a dependency is the free port rehearsal picks for its own process; add dependencies.${name}.start or write the port`,
    };
    if (dep.start) visit(dep.start, ['dependencies', name, 'start'], scope);
    if (dep.upstream !== undefined) visit(dep.upstream, ['dependencies', name, 'upstream'], scope);
  }
  const targetScope = (allowed: ReadonlySet<string>): TemplateScope => ({
    allowed,
    depsAllowed: true,
    startField: 'target.start',
    hasStart: target.start !== undefined,
    portHint: '{{port}} is the free port rehearsal picks for the process it starts; add target.start or write the port',
  });
  if (target.start) visit(target.start, ['target', 'start'], targetScope(START_VARS));
  if (target.type === 'function') return problems;
  visit(target.url, ['target', 'url'], targetScope(START_VARS));
  if (target.type === 'browser') visit(target.page, ['target', 'page'], targetScope(TURN_VARS));
  else visit(target.request, ['target', 'request'], targetScope(TURN_VARS));
  return problems;
}

function checkOne(name: string, scope: TemplateScope, deps: ReadonlySet<string>): Omit<TemplateProblem, 'path'> | undefined {
  if (name.startsWith('deps.')) {
    const dep = name.slice(5);
    if (!scope.depsAllowed) {
      return {
        message: `template {{${name}}} cannot be used in a dependency`,
        hint: 'dependency processes start before the virtual dependencies; give the process the address it needs directly',
      };
    }
    if (deps.has(dep)) return undefined;
    return {
      message: `template {{${name}}} names dependency "${dep}", which is not declared`,
      hint: deps.size === 0 ? 'declare it under `dependencies:`' : `declared dependencies: ${[...deps].join(', ')}`,
    };
  }
  if (!scope.allowed.has(name)) {
    const turnOnly = TURN_VARS.has(name);
    return {
      message: `unknown template {{${name}}}`,
      hint: turnOnly
        ? `{{${name}}} changes every turn; use it in target.request or target.page, not in url, start or upstream`
        : `known templates here: ${[...scope.allowed].map((v) => `{{${v}}}`).join(', ')}${scope.depsAllowed ? ', {{deps.<name>}}' : ''}`,
    };
  }
  if (name === 'port' && !scope.hasStart) {
    return { message: `template {{port}} used without ${scope.startField}`, hint: scope.portHint };
  }
  return undefined;
}
