/**
 * Defensive accessors over untrusted JSON: wire payloads come from production traffic and may
 * be truncated, malformed or of an unknown version, so every parser reads through these and
 * never throws.
 */
import type { LlmMessage, StreamChunk } from '../model/index.ts';
import { parseSse, type SseEvent } from './sse.ts';

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** A JSON body as recorded: already parsed, or a JSON text. */
export function asJson(body: unknown): Json | undefined {
  if (isObject(body)) return body;
  if (typeof body !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Parses an SSE event's data as JSON, or undefined (`[DONE]`, comments, garbage). */
export function eventJson(event: SseEvent): Json | undefined {
  return asJson(event.data);
}

/** The events of a streamed response: from its chunks, or from a text body that is an event-stream. */
export function streamEvents(body: unknown, chunks: readonly StreamChunk[] | undefined): SseEvent[] | undefined {
  if (chunks && chunks.length > 0) return parseSse(chunks.map((c) => c.data).join(''));
  if (typeof body === 'string' && /^(data|event|id|:)/m.test(body) && asJson(body) === undefined) return parseSse(body);
  return undefined;
}

/**
 * Text of a content value that is either a string or an array of typed parts
 * (`{type: 'text' | 'input_text' | 'output_text', text}`); non-text parts are skipped.
 */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  const texts: string[] = [];
  for (const part of asArray(content)) {
    if (typeof part === 'string') texts.push(part);
    else if (isObject(part) && typeof part.text === 'string') texts.push(part.text);
    else if (isObject(part) && part.type === 'refusal' && typeof part.refusal === 'string') texts.push(part.refusal);
  }
  return texts.join('');
}

const ROLES = new Set<LlmMessage['role']>(['system', 'developer', 'user', 'assistant', 'tool']);

export function asRole(value: unknown, fallback: LlmMessage['role']): LlmMessage['role'] {
  return typeof value === 'string' && ROLES.has(value as LlmMessage['role']) ? (value as LlmMessage['role']) : fallback;
}

/** Tool arguments as text: kept verbatim when a string, serialized when an object. */
export function argumentsText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value);
  } catch {
    return '';
  }
}

/** What a parser of one format returns for a request. */
export interface ParsedRequest {
  model?: string;
  stream: boolean;
  messages: LlmMessage[];
}

/** What a parser of one format returns for a response (whole or streamed). */
export interface ParsedResponse {
  model?: string;
  output: LlmMessage[];
  usage?: { inputTokens: number; outputTokens: number };
}

export function usageOf(input: unknown, output: unknown): ParsedResponse['usage'] {
  const i = asCount(input);
  const o = asCount(output);
  return i === undefined && o === undefined ? undefined : { inputTokens: i ?? 0, outputTokens: o ?? 0 };
}
