/**
 * Where a value (session id, user input, reply text, segment tag) is read from an HTTP message:
 * `header:<name>`, `cookie:<name>`, `query:<name>`, `json:<key>` (top-level key),
 * `json:/<json-pointer>` (RFC 6901) or `path:/conversations/:id/…` (the `:param` segment).
 */
import { HarnessError } from '../errors.ts';
import { getByPointer, keyPointer } from '../util/json-pointer.ts';

/** The parts of a message a source can read. `body` is parsed JSON when it was JSON. */
export interface MessageView {
  /** Path and query, e.g. `/conversations/42/messages?lang=fr`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

export interface ValueSource {
  readonly spec: string;
  read(message: MessageView): string | undefined;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function header(message: MessageView, name: string): string | undefined {
  const v = message.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function cookie(message: MessageView, name: string): string | undefined {
  for (const part of (header(message, 'cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function pathPattern(template: string): RegExp {
  const escaped = template
    .replace(/(…|\.\.\.|\*)$/, '\u0000')
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/:[A-Za-z_][A-Za-z0-9_]*/, '([^/?]+)')
    .replace(/:[A-Za-z_][A-Za-z0-9_]*/g, '[^/?]+')
    .replace('\u0000', '.*');
  return new RegExp(`^${escaped}(?:[?#].*)?$`);
}

/** Parses a source spec, or throws a USAGE error naming the option. */
export function parseValueSource(spec: string, option: string): ValueSource {
  const colon = spec.indexOf(':');
  const kind = colon === -1 ? '' : spec.slice(0, colon);
  const arg = spec.slice(colon + 1);
  const fail = () =>
    new HarnessError('USAGE', `${option} ${JSON.stringify(spec)} is not a value source`, {
      hint: 'use header:<name>, cookie:<name>, query:<name>, json:<key>, json:/<pointer> or path:/conversations/:id/…',
    });
  if (!arg) throw fail();
  switch (kind) {
    case 'header': {
      const name = arg.toLowerCase();
      return { spec, read: (m) => header(m, name) };
    }
    case 'cookie':
      return { spec, read: (m) => cookie(m, arg) };
    case 'query':
      return { spec, read: (m) => new URL(m.url, 'http://x').searchParams.get(arg) ?? undefined };
    case 'json': {
      const pointer = arg.startsWith('/') ? arg : keyPointer(arg);
      return { spec, read: (m) => scalar(getByPointer(m.body, pointer)) };
    }
    case 'path': {
      if (!/:[A-Za-z_]/.test(arg)) throw fail();
      const re = pathPattern(arg);
      return { spec, read: (m) => re.exec(m.url)?.[1] };
    }
    default:
      throw fail();
  }
}
