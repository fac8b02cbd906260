/** OpenAI chat completions (`POST /v1/chat/completions`), also spoken by most OpenAI-compatible servers. */
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

function toolCalls(value: unknown): ToolCall[] | undefined {
  const calls: ToolCall[] = [];
  for (const raw of asArray(value)) {
    if (!isObject(raw)) continue;
    const fn = isObject(raw.function) ? raw.function : {};
    calls.push({ id: asString(raw.id) ?? '', name: asString(fn.name) ?? '', arguments: argumentsText(fn.arguments) });
  }
  return calls.length > 0 ? calls : undefined;
}

function message(raw: Json): LlmMessage {
  const msg: LlmMessage = { role: asRole(raw.role, 'user'), content: contentText(raw.content) };
  const calls = toolCalls(raw.tool_calls);
  if (calls) msg.toolCalls = calls;
  const toolCallId = asString(raw.tool_call_id);
  if (toolCallId !== undefined) msg.toolCallId = toolCallId;
  return msg;
}

export function parseChatRequest(body: Json): ParsedRequest {
  const req: ParsedRequest = {
    stream: body.stream === true,
    messages: asArray(body.messages).filter(isObject).map(message),
  };
  const model = asString(body.model);
  if (model !== undefined) req.model = model;
  return req;
}

export function parseChatResponse(body: unknown): ParsedResponse {
  const json = asJson(body) ?? {};
  const output: LlmMessage[] = [];
  for (const choice of asArray(json.choices)) {
    if (isObject(choice) && isObject(choice.message)) output.push({ ...message(choice.message), role: 'assistant' });
  }
  const res: ParsedResponse = { output };
  const usage = isObject(json.usage) ? usageOf(json.usage.prompt_tokens, json.usage.completion_tokens) : undefined;
  if (usage) res.usage = usage;
  const model = asString(json.model);
  if (model !== undefined) res.model = model;
  return res;
}

interface ChoiceAcc {
  content: string;
  calls: Array<{ id: string; name: string; arguments: string }>;
}

/**
 * Assembles `chat.completion.chunk` events: per choice index, text deltas concatenate, and tool
 * calls are keyed by their `index` — the id and name arrive in the first fragment, the
 * arguments as string fragments after it.
 */
export function parseChatStream(events: readonly SseEvent[]): ParsedResponse {
  const choices = new Map<number, ChoiceAcc>();
  const res: ParsedResponse = { output: [] };
  for (const event of events) {
    const json = eventJson(event);
    if (!json) continue;
    const model = asString(json.model);
    if (model !== undefined) res.model = model;
    if (isObject(json.usage)) {
      const usage = usageOf(json.usage.prompt_tokens, json.usage.completion_tokens);
      if (usage) res.usage = usage;
    }
    for (const choice of asArray(json.choices)) {
      if (!isObject(choice) || !isObject(choice.delta)) continue;
      const index = typeof choice.index === 'number' ? choice.index : 0;
      let acc = choices.get(index);
      if (!acc) choices.set(index, (acc = { content: '', calls: [] }));
      acc.content += contentText(choice.delta.content);
      for (const frag of asArray(choice.delta.tool_calls)) {
        if (!isObject(frag)) continue;
        const at = typeof frag.index === 'number' ? frag.index : acc.calls.length;
        const call = (acc.calls[at] ??= { id: '', name: '', arguments: '' });
        const fn = isObject(frag.function) ? frag.function : {};
        call.id ||= asString(frag.id) ?? '';
        call.name += asString(fn.name) ?? '';
        call.arguments += asString(fn.arguments) ?? '';
      }
    }
  }
  for (const index of [...choices.keys()].sort((a, b) => a - b)) {
    const acc = choices.get(index) as ChoiceAcc;
    const msg: LlmMessage = { role: 'assistant', content: acc.content };
    const calls = acc.calls.filter((c) => c !== undefined);
    if (calls.length > 0) msg.toolCalls = calls;
    res.output.push(msg);
  }
  return res;
}
