import type { ExchangeKind } from './exchange.ts';

/** What a dependency call is named by, as the recorder and the virtual dependencies see it. */
export interface ExchangeNameParts {
  kind: ExchangeKind;
  dependency: string;
  /** Path (and query) relative to the dependency's base URL, e.g. `/orders/lookup?x=1`. */
  path: string;
  /** Decoded request body, if any. */
  body?: unknown;
  /** Model id of a parsed LLM conversation. */
  model?: string | undefined;
}

/**
 * The `name` of a dependency exchange: what fault rules (`name:`), reports and detectors call
 * it, so the recorder and the virtual dependencies must agree on it. LLM calls are named by
 * model id. Other calls are named by an explicit body field when the app sends one (`tool`
 * for tools; `index` or `collection` for retrieval), else by their path under the
 * dependency's base URL without the leading slash and query: `/tools/orders/lookup` and
 * `/tools/accounts/lookup` under base `/tools` are `orders/lookup` and `accounts/lookup`
 * (the last segment alone would call both `lookup`). A call to the base itself is named
 * after its dependency. A body's `name` field is not used: it is as often a person's name.
 */
export function exchangeName(parts: ExchangeNameParts): string {
  const { kind, dependency, body } = parts;
  if (kind === 'llm') return parts.model ?? stringField(body, 'model') ?? dependency;
  const explicit = kind === 'tool' ? stringField(body, 'tool') : kind === 'retrieval' ? stringField(body, 'index', 'collection') : undefined;
  return explicit ?? (pathName(parts.path) || dependency);
}

/** `/orders/lookup/?q=1` → `orders/lookup`. */
function pathName(path: string): string {
  const bare = path.split(/[?#]/, 1)[0] ?? '';
  return bare.split('/').filter(Boolean).join('/');
}

function stringField(body: unknown, ...keys: string[]): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  for (const key of keys) {
    const v = (body as Record<string, unknown>)[key];
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}
