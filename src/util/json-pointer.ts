/** RFC 6901 JSON pointers: how scenarios, `--*-from json:/…` options and targets address a value in a JSON body. */

/**
 * Reads a value by RFC 6901 JSON pointer (`/choices/0/message/content`); `''` is the whole
 * document. Undefined when any step is missing.
 */
export function getByPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  if (!pointer.startsWith('/')) return undefined;
  let current: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) current = /^\d+$/.test(key) ? current[Number(key)] : undefined;
    else if (current !== null && typeof current === 'object') current = (current as Record<string, unknown>)[key];
    else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** The pointer to a top-level key (`a/b` → `/a~1b`), for options that accept a bare key. */
export function keyPointer(key: string): string {
  return `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** The text form of an extracted value: strings as-is, anything else as JSON, absent as ''. */
export function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
