import { renderJson, renderTemplate, type TemplateVars } from '../scenario/templates.ts';
import type { Target } from '../scenario/schema.ts';
import type { SendContext, TargetTurn } from './types.ts';

type RequestConfig = Extract<Target, { type: 'http' | 'sse' }>['request'];

/** A request ready for undici: templates rendered, attribution headers added. */
export interface BuiltRequest {
  method: string;
  /** Path and query (relative to the target's origin), templates URL-encoded. */
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/**
 * Renders the scenario's request template for one turn. Templates may appear anywhere: in the
 * path and query (values URL-encoded), headers (CR/LF stripped), and any string of the JSON
 * body. Without a body, `{"input", "session"}` is sent.
 */
export function buildRequest(config: RequestConfig, basePath: string, turn: TargetTurn, context: SendContext, deps: Readonly<Record<string, string>>): BuiltRequest {
  const vars: TemplateVars = { input: turn.input, session: context.instance, turn: turn.index, deps };
  const path = joinPath(basePath, renderTemplate(config.path, vars, encodeURIComponent));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers)) headers[name.toLowerCase()] = renderTemplate(value, vars).replace(/[\r\n]+/g, ' ');
  Object.assign(headers, context.headers);
  const method = config.method.toUpperCase();
  let body: string | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const value = config.body === undefined ? { input: turn.input, session: context.instance } : renderJson(config.body, vars);
    body = typeof value === 'string' ? value : JSON.stringify(value);
    headers['content-type'] ??= typeof value === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  }
  return { method, path, headers, body };
}

function joinPath(base: string, path: string): string {
  const left = base.endsWith('/') ? base.slice(0, -1) : base;
  return `${left}${path.startsWith('/') ? path : `/${path}`}`;
}
