/** Parsing of the option values `rehearse record` and `rehearse import` share. */
import { HarnessError } from '../errors.ts';
import { ExchangeKind } from '../model/index.ts';
import { parseValueSource, type ValueSource } from './value-source.ts';

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function pair(spec: string, option: string, example: string): [string, string] {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1) {
    throw new HarnessError('USAGE', `${option} ${JSON.stringify(spec)} is not <name>=<value>`, { hint: `e.g. ${option} ${example}` });
  }
  return [spec.slice(0, eq), spec.slice(eq + 1)];
}

/** `--dep llm=https://llm.internal` (repeatable) → name → base URL. */
export function parseDeps(specs: readonly string[]): Record<string, string> {
  const deps: Record<string, string> = {};
  for (const spec of specs) {
    const [name, url] = pair(spec, '--dep', 'llm=https://llm.internal');
    if (!/^[A-Za-z0-9._-]+$/.test(name)) {
      throw new HarnessError('USAGE', `--dep name ${JSON.stringify(name)} may only hold letters, digits, '.', '_' and '-'`, { hint: 'it becomes a URL segment: /_deps/<name>/' });
    }
    if (!/^https?:\/\//.test(url)) throw new HarnessError('USAGE', `--dep ${name}: ${JSON.stringify(url)} is not an http(s) URL`, { hint: 'e.g. --dep llm=https://llm.internal' });
    deps[name] = url;
  }
  return deps;
}

/** `--kind tools=tool` (repeatable). */
export function parseKinds(specs: readonly string[]): Map<string, ExchangeKind> {
  const kinds = new Map<string, ExchangeKind>();
  for (const spec of specs) {
    const [name, kind] = pair(spec, '--kind', 'tools=tool');
    const parsed = ExchangeKind.safeParse(kind);
    if (!parsed.success) throw new HarnessError('USAGE', `--kind ${name}=${kind}: unknown kind`, { hint: `one of ${ExchangeKind.options.join(', ')}` });
    kinds.set(name, parsed.data);
  }
  return kinds;
}

/** `--segment channel=header:x-channel` (repeatable). */
export function parseSegments(specs: readonly string[]): Record<string, ValueSource> {
  const out: Record<string, ValueSource> = {};
  for (const spec of specs) {
    const [tag, source] = pair(spec, '--segment', 'channel=header:x-channel');
    out[tag] = parseValueSource(source, `--segment ${tag}`);
  }
  return out;
}

export function parseListen(spec: string): { host: string; port: number } {
  const m = /^(?:\[?([^\]]*)\]?:)?(\d+)$/.exec(spec);
  if (!m) throw new HarnessError('USAGE', `--listen ${JSON.stringify(spec)} is not host:port`, { hint: 'e.g. --listen 127.0.0.1:8080' });
  return { host: m[1] || '127.0.0.1', port: Number(m[2]) };
}

export function parseRate(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 1)) throw new HarnessError('USAGE', `--sample ${JSON.stringify(value)} is not a fraction in (0, 1]`, { hint: 'e.g. --sample 0.25' });
  return n;
}
