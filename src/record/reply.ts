/** What the user saw: the reply text (and structured value) of an inbound turn's response. */
import type { StreamChunk } from '../model/index.ts';
import { parseSse } from '../wire/sse.ts';
import { decodeBody } from './captured-call.ts';
import type { StructuredSource } from './structured-source.ts';
import type { ValueSource } from './value-source.ts';

export interface ReplyText {
  text: string;
  structured?: unknown;
}

function pick(value: unknown, replyFrom: ValueSource | undefined, url: string): string | undefined {
  if (!replyFrom) return undefined;
  return replyFrom.read({ url, headers: {}, body: value });
}

/** The usual places a streamed reply puts its text piece, when `--reply-from` does not match. */
function deltaText(json: unknown): string | undefined {
  if (typeof json === 'string') return json;
  if (typeof json !== 'object' || json === null) return undefined;
  for (const key of ['delta', 'text', 'content', 'token']) {
    const v = (json as Record<string, unknown>)[key];
    if (typeof v === 'string') return v;
  }
  return undefined;
}

/**
 * Whole body: the `--reply-from` value of the JSON, or the text. Streamed: each event's data,
 * through `--reply-from` when it is JSON with that field (else its `delta` / `text` / `content` /
 * `token` string), concatenated; `[DONE]` and events without text are skipped.
 * Structured output: the `--structured-from` value of the JSON body (streamed: of the last event
 * that has it); without that option, the whole JSON body.
 */
export function replyOf(
  url: string,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer | undefined,
  chunks: readonly StreamChunk[] | undefined,
  replyFrom: ValueSource | undefined,
  structuredFrom?: StructuredSource,
): ReplyText {
  if (chunks) {
    const parts: string[] = [];
    let structured: unknown;
    for (const event of parseSse(chunks.map((c) => c.data).join(''))) {
      if (event.data === '[DONE]') continue;
      let json: unknown;
      try {
        json = JSON.parse(event.data);
      } catch {
        parts.push(event.data);
        continue;
      }
      structured = structuredFrom?.read(json) ?? structured;
      const picked = pick(json, replyFrom, url) ?? deltaText(json);
      if (picked !== undefined) parts.push(picked);
    }
    return structured === undefined ? { text: parts.join('') } : { text: parts.join(''), structured };
  }
  const value = body ? decodeBody(body, headers) : undefined;
  if (typeof value === 'string' || value === undefined) return { text: value ?? '' };
  const text = pick(value, replyFrom, url) ?? JSON.stringify(value);
  if (!structuredFrom) return { text, structured: value };
  const structured = structuredFrom.read(value);
  return structured === undefined ? { text } : { text, structured };
}
