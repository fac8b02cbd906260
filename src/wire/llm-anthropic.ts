/** Anthropic Messages (`POST /v1/messages`): content blocks, `tool_use` / `tool_result`. */
import type { LlmMessage, ToolCall } from '../model/index.ts';
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
 * One Anthropic message may become several: `tool_result` blocks of a user message each become
 * a `tool` message (in block order, before the user's own text), `tool_use` blocks become the
 * assistant message's tool calls.
 */
function toMessages(role: LlmMessage['role'], content: unknown): LlmMessage[] {
  if (typeof content === 'string') return [{ role, content }];
  const out: LlmMessage[] = [];
  const texts: string[] = [];
  const calls: ToolCall[] = [];
  for (const block of asArray(content)) {
    if (!isObject(block)) continue;
    if (block.type === 'text') texts.push(asString(block.text) ?? '');
    else if (block.type === 'tool_use') {
      calls.push({ id: asString(block.id) ?? '', name: asString(block.name) ?? '', arguments: argumentsText(block.input) });
    } else if (block.type === 'tool_result') {
      out.push({ role: 'tool', content: contentText(block.content), toolCallId: asString(block.tool_use_id) ?? '' });
    }
  }
  if (texts.length > 0 || calls.length > 0 || out.length === 0) {
    const msg: LlmMessage = { role, content: texts.join('') };
    if (calls.length > 0) msg.toolCalls = calls;
    out.push(msg);
  }
  return out;
}

export function parseAnthropicRequest(body: Json): ParsedRequest {
  const messages: LlmMessage[] = [];
  const system = contentText(body.system);
  if (system) messages.push({ role: 'system', content: system });
  for (const raw of asArray(body.messages)) {
    if (isObject(raw)) messages.push(...toMessages(asRole(raw.role, 'user'), raw.content));
  }
  const req: ParsedRequest = { stream: body.stream === true, messages };
  const model = asString(body.model);
  if (model !== undefined) req.model = model;
  return req;
}

export function parseAnthropicResponse(body: unknown): ParsedResponse {
  const json = asJson(body) ?? {};
  const res: ParsedResponse = { output: json.content === undefined ? [] : toMessages('assistant', json.content) };
  const usage = isObject(json.usage) ? usageOf(json.usage.input_tokens, json.usage.output_tokens) : undefined;
  if (usage) res.usage = usage;
  const model = asString(json.model);
  if (model !== undefined) res.model = model;
  return res;
}

/**
 * Rebuilds the content blocks from `content_block_start` / `content_block_delta`
 * (`text_delta`, `input_json_delta` fragments) by block index; usage is `message_start`'s
 * input count and the last `message_delta` output count.
 */
export function parseAnthropicStream(events: readonly SseEvent[]): ParsedResponse {
  const blocks = new Map<number, Json>();
  const partialJson = new Map<number, string>();
  let model: string | undefined;
  let inputTokens: unknown;
  let outputTokens: unknown;
  for (const event of events) {
    const json = eventJson(event);
    if (!json) continue;
    const type = asString(json.type) ?? event.event;
    const index = typeof json.index === 'number' ? json.index : 0;
    if (type === 'message_start' && isObject(json.message)) {
      model = asString(json.message.model);
      if (isObject(json.message.usage)) ({ input_tokens: inputTokens, output_tokens: outputTokens } = json.message.usage);
    } else if (type === 'content_block_start' && isObject(json.content_block)) {
      blocks.set(index, { ...json.content_block });
    } else if (type === 'content_block_delta' && isObject(json.delta)) {
      const block = blocks.get(index) ?? { type: json.delta.type === 'input_json_delta' ? 'tool_use' : 'text' };
      blocks.set(index, block);
      if (json.delta.type === 'text_delta') block.text = (asString(block.text) ?? '') + (asString(json.delta.text) ?? '');
      if (json.delta.type === 'input_json_delta') {
        partialJson.set(index, (partialJson.get(index) ?? '') + (asString(json.delta.partial_json) ?? ''));
      }
    } else if (type === 'message_delta' && isObject(json.usage)) {
      outputTokens = json.usage.output_tokens ?? outputTokens;
      inputTokens = json.usage.input_tokens ?? inputTokens;
    }
  }
  // Streamed tool input is kept as the exact text the model produced (possibly malformed).
  for (const [index, text] of partialJson) {
    const block = blocks.get(index);
    if (block) block.input = text;
  }
  const ordered = [...blocks.keys()].sort((a, b) => a - b).map((k) => blocks.get(k));
  const res: ParsedResponse = { output: ordered.length > 0 ? toMessages('assistant', ordered) : [] };
  const usage = usageOf(inputTokens, outputTokens);
  if (usage) res.usage = usage;
  if (model !== undefined) res.model = model;
  return res;
}
