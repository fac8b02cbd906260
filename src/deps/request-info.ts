import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { HeaderMap } from '../model/index.ts';
import { CREDENTIAL_HEADER } from '../wire/headers.ts';


/** The call's headers as journaled: lower-case, single values, credentials dropped. */
export function safeHeaders(headers: IncomingHttpHeaders): HeaderMap {
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || CREDENTIAL_HEADER.test(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

/** The parsed JSON body when it is JSON, the text otherwise, undefined when empty. */
export function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  const first = text.trimStart()[0];
  if ((contentType ?? '').includes('json') || first === '{' || first === '[') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}
