/** OpenAI Responses API (`POST /v1/responses`): `instructions` + `input` items in, `output` items out. */
import type { LlmMessage } from '../model/index.ts';
import type { SseEvent } from './sse.ts';
import {
  argumentsText,
  asArray,
  asJson,
  asRole,
  asString,
  contentText,
  eventJson,
  isObject,
  usageOf,
  type Json,
  type ParsedRequest,
  type ParsedResponse,
} from './llm-json.ts';

/**
 * Maps input/output items to messages. Consecutive `function_call` items attach to the
 * assistant message before them (or a new empty one), as chat completions would carry them.
 */
function itemsToMessages(items: readonly unknown[], defaultRole: LlmMessage['role']): LlmMessage[] {
  const out: LlmMessage[] = [];
  for (const item of items) {
    if (!isObject(item)) continue;
    const type = asString(item.type) ?? 'message';
    if (type === 'message') {
      out.push({ role: asRole(item.role, defaultRole), content: contentText(item.content) });
    } else if (type === 'function_call') {
      const call = { id: asString(item.call_id) ?? asString(item.id) ?? '', name: asString(item.name) ?? '', arguments: argumentsText(item.arguments) };
      const last = out.at(-1);
      if (last && last.role === 'assistant') (last.toolCalls ??= []).push(call);
      else out.push({ role: 'assistant', content: '', toolCalls: [call] });
    } else if (type === 'function_call_output') {
      out.push({ role: 'tool', content: contentText(item.output), toolCallId: asString(item.call_id) ?? '' });
    }
  }
  return out;
}

export function parseResponsesRequest(body: Json): ParsedRequest {
  const messages: LlmMessage[] = [];
  const instructions = asString(body.instructions);
  if (instructions !== undefined) messages.push({ role: 'system', content: instructions });
  if (typeof body.input === 'string') messages.push({ role: 'user', content: body.input });
  else messages.push(...itemsToMessages(asArray(body.input), 'user'));
  const req: ParsedRequest = { stream: body.stream === true, messages };
  const model = asString(body.model);
  if (model !== undefined) req.model = model;
  return req;
}

export function parseResponsesResponse(body: unknown): ParsedResponse {
  const json = asJson(body) ?? {};
  const res: ParsedResponse = { output: itemsToMessages(asArray(json.output), 'assistant') };
  const usage = isObject(json.usage) ? usageOf(json.usage.input_tokens, json.usage.output_tokens) : undefined;
  if (usage) res.usage = usage;
  const model = asString(json.model);
  if (model !== undefined) res.model = model;
  return res;
}

/**
 * A completed stream carries the whole response in `response.completed`; when the stream was
 * cut before it, the output is rebuilt from `output_item.added` / `*.delta` / `output_item.done`
 * events keyed by `output_index`.
 */
export function parseResponsesStream(events: readonly SseEvent[]): ParsedResponse {
  const items = new Map<number, Json>();
  let model: string | undefined;
  for (const event of events) {
    const json = eventJson(event);
    if (!json) continue;
    const type = asString(json.type) ?? event.event;
    if ((type === 'response.completed' || type === 'response.incomplete') && isObject(json.response)) {
      return parseResponsesResponse(json.response);
    }
    if (isObject(json.response)) model = asString(json.response.model) ?? model;
    const index = typeof json.output_index === 'number' ? json.output_index : 0;
    if ((type === 'response.output_item.added' || type === 'response.output_item.done') && isObject(json.item)) {
      const prev = items.get(index);
      const item = { ...json.item };
      // `added` items start empty; keep what deltas assembled unless `done` brings the whole item.
      if (type === 'response.output_item.added' && prev) Object.assign(item, prev);
      items.set(index, item);
    } else if (type === 'response.output_text.delta') {
      const item = items.get(index) ?? { type: 'message', role: 'assistant' };
      item.content = contentText(item.content) + (asString(json.delta) ?? '');
      items.set(index, item);
    } else if (type === 'response.function_call_arguments.delta') {
      const item = items.get(index) ?? { type: 'function_call' };
      item.arguments = (asString(item.arguments) ?? '') + (asString(json.delta) ?? '');
      items.set(index, item);
    }
  }
  const ordered = [...items.keys()].sort((a, b) => a - b).map((k) => items.get(k));
  const res: ParsedResponse = { output: itemsToMessages(ordered, 'assistant') };
  if (model !== undefined) res.model = model;
  return res;
}
