import type { Canary } from '../model/index.ts';

/** Every string inside a JSON value (object keys excluded), depth first. JSON text inside strings is kept as is. */
export function collectStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' || typeof value === 'boolean') out.push(String(value));
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, out);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) collectStrings(item, out);
  return out;
}

/** All the text a JSON value carries, joined: what "appears in" checks search. */
export function textOf(value: unknown): string {
  return collectStrings(value).join('\n');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when `needle` occurs in `haystack` not glued to other letters or digits. */
export function containsToken(haystack: string, needle: string): boolean {
  if (needle === '') return false;
  return new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(needle)}(?![\\p{L}\\p{N}])`, 'u').test(haystack);
}

/**
 * Rewrites an instance's identities back to the recorded surrogates, so observed text can be
 * compared with the recording. Longest values first, so one value that contains another
 * (a name inside an email) is replaced whole.
 */
export function toRecordedSpace(text: string, canaries: readonly Canary[]): string {
  let result = text;
  for (const c of [...canaries].sort((a, b) => b.value.length - a.value.length)) {
    if (c.value !== '' && c.value !== c.recorded) result = result.split(c.value).join(c.recorded);
  }
  return result;
}

/** The inverse of `toRecordedSpace`, for evidence a reader compares with the instance's traffic. */
export function toInstanceSpace(text: string, canaries: readonly Canary[]): string {
  let result = text;
  for (const c of [...canaries].sort((a, b) => b.recorded.length - a.recorded.length)) {
    if (c.recorded !== '' && c.value !== c.recorded) result = result.split(c.recorded).join(c.value);
  }
  return result;
}


/** JSON with sorted keys: a stable key for a request body or a measured value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  ) ?? 'undefined';
}
