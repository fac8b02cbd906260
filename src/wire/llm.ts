/**
 * Parsing of the LLM wire formats (OpenAI chat completions, OpenAI Responses, Anthropic
 * Messages; streamed or not) into the model's `LlmConversation`. Used by the recorder, the
 * virtual dependencies and the detectors. Every function here is total: malformed, truncated
 * or unknown payloads give `undefined` or a partial conversation, never an exception.
 */
import type { LlmConversation, LlmWireFormat, RecordedRequest, RecordedResponse } from '../model/index.ts';
import { parseAnthropicRequest, parseAnthropicResponse, parseAnthropicStream } from './llm-anthropic.ts';
import { asArray, asJson, isObject, streamEvents, type Json, type ParsedRequest, type ParsedResponse } from './llm-json.ts';
import { parseChatRequest, parseChatResponse, parseChatStream } from './llm-openai-chat.ts';
import { parseResponsesRequest, parseResponsesResponse, parseResponsesStream } from './llm-openai-responses.ts';
import type { SseEvent } from './sse.ts';

interface FormatParser {
  request(body: Json): ParsedRequest;
  response(body: unknown): ParsedResponse;
  stream(events: readonly SseEvent[]): ParsedResponse;
}

const PARSERS: Record<LlmWireFormat, FormatParser> = {
  'openai-chat': { request: parseChatRequest, response: parseChatResponse, stream: parseChatStream },
  'openai-responses': { request: parseResponsesRequest, response: parseResponsesResponse, stream: parseResponsesStream },
  'anthropic-messages': { request: parseAnthropicRequest, response: parseAnthropicResponse, stream: parseAnthropicStream },
};

function pathOf(url: string): string {
  try {
    return new URL(url, 'http://x').pathname;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

/** Anthropic-only request shapes: a top-level `system`, or typed content blocks only it uses. */
function looksAnthropic(body: Json): boolean {
  if (body.system !== undefined) return true;
  return asArray(body.messages).some(
    (m) =>
      isObject(m) &&
      asArray(m.content).some((b) => isObject(b) && (b.type === 'tool_use' || b.type === 'tool_result' || (b.type === 'image' && isObject(b.source)))),
  );
}

/** Recognizes a known LLM wire format from the request URL path and body, or undefined. */
export function detectLlmFormat(request: Pick<RecordedRequest, 'url' | 'body'>): LlmWireFormat | undefined {
  const body = asJson(request.body);
  if (!body) return undefined;
  const path = pathOf(request.url);
  if (/\/chat\/completions\/?$/.test(path) && Array.isArray(body.messages)) return 'openai-chat';
  if (/\/responses\/?$/.test(path) && (body.input !== undefined || body.instructions !== undefined)) return 'openai-responses';
  if (/\/messages\/?$/.test(path) && Array.isArray(body.messages)) return 'anthropic-messages';
  // Gateways rewrite paths: fall back on the body's shape when it names a model.
  if (typeof body.model !== 'string') return undefined;
  if (Array.isArray(body.messages)) return looksAnthropic(body) ? 'anthropic-messages' : 'openai-chat';
  if (typeof body.input === 'string' || Array.isArray(body.input)) return 'openai-responses';
  return undefined;
}

/**
 * Parses request (and response, when given: whole body or SSE chunks) into a conversation.
 * Undefined when the exchange is not a known LLM format. Never throws on malformed input.
 */
export function parseLlmExchange(
  request: Pick<RecordedRequest, 'url' | 'body'>,
  response?: Pick<RecordedResponse, 'body' | 'chunks'>,
): LlmConversation | undefined {
  try {
    const format = detectLlmFormat(request);
    if (!format) return undefined;
    const parser = PARSERS[format];
    const req = parser.request(asJson(request.body) as Json);
    const conversation: LlmConversation = { format, stream: req.stream, messages: req.messages, output: [] };
    if (response) {
      const events = streamEvents(response.body, response.chunks);
      const res = events ? parser.stream(events) : parser.response(response.body);
      if (events) conversation.stream = true;
      conversation.output = res.output;
      if (res.usage) conversation.usage = res.usage;
      if (res.model !== undefined && req.model === undefined) conversation.model = res.model;
    }
    if (req.model !== undefined) conversation.model = req.model;
    return conversation;
  } catch {
    // The parsers are written not to throw; this guards the contract against a case they missed.
    return undefined;
  }
}
