import { z } from 'zod';

/** What a dependency call was, from the app's point of view. */
export const ExchangeKind = z.enum(['llm', 'tool', 'retrieval', 'http']);
export type ExchangeKind = z.infer<typeof ExchangeKind>;

/** Header names are lower-cased; credential headers are never present (dropped at capture). */
export const HeaderMap = z.record(z.string(), z.string());
export type HeaderMap = z.infer<typeof HeaderMap>;

/** One piece of a streamed body, `offsetMs` from the start of the response. */
export const StreamChunk = z.object({
  offsetMs: z.number().nonnegative(),
  data: z.string(),
});
export type StreamChunk = z.infer<typeof StreamChunk>;

/**
 * `body` is the parsed JSON value when the content type is JSON, otherwise the text.
 * `url` is normalized: origin and path of the dependency as the app called it, query kept.
 */
export const RecordedRequest = z.object({
  method: z.string(),
  url: z.string(),
  headers: HeaderMap,
  body: z.unknown().optional(),
});
export type RecordedRequest = z.infer<typeof RecordedRequest>;

/** A response: either a whole `body`, or `chunks` when it was streamed (SSE and the like). */
export const RecordedResponse = z.object({
  status: z.number().int(),
  headers: HeaderMap,
  body: z.unknown().optional(),
  chunks: z.array(StreamChunk).optional(),
});
export type RecordedResponse = z.infer<typeof RecordedResponse>;

export const ToolCall = z.object({
  id: z.string(),
  name: z.string(),
  /** The arguments exactly as the model produced them (a JSON text, possibly malformed). */
  arguments: z.string(),
});
export type ToolCall = z.infer<typeof ToolCall>;

export const LlmMessage = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: z.string(),
  toolCalls: z.array(ToolCall).optional(),
  /** For role `tool`: which call this is the result of. */
  toolCallId: z.string().optional(),
});
export type LlmMessage = z.infer<typeof LlmMessage>;

export const LlmWireFormat = z.enum(['openai-chat', 'openai-responses', 'anthropic-messages']);
export type LlmWireFormat = z.infer<typeof LlmWireFormat>;

/** The conversation an `llm` exchange carried, parsed from its wire format. */
export const LlmConversation = z.object({
  format: LlmWireFormat,
  model: z.string().optional(),
  stream: z.boolean(),
  /** The request's messages, system prompt first. */
  messages: z.array(LlmMessage),
  /** What the model answered (assembled from chunks when streamed). */
  output: z.array(LlmMessage),
  usage: z
    .object({ inputTokens: z.number().int().nonnegative(), outputTokens: z.number().int().nonnegative() })
    .optional(),
});
export type LlmConversation = z.infer<typeof LlmConversation>;

export const ExchangeError = z.object({
  /** e.g. `ECONNRESET`, `timeout`, `http_503`. */
  code: z.string(),
  message: z.string(),
});
export type ExchangeError = z.infer<typeof ExchangeError>;

/** One outbound call the app made while answering a turn. */
export const Exchange = z.object({
  kind: ExchangeKind,
  /** Model id for LLM calls; else a tool / index name the body gives, or the path under the dependency (`orders/lookup`). See `exchangeName`. */
  name: z.string(),
  /** The dependency (as named in recorder / scenario config) that answered it. */
  dependency: z.string(),
  /** Request path + query relative to the dependency's base URL (`/v1/chat/completions`): what replay matches on. */
  path: z.string(),
  request: RecordedRequest,
  response: RecordedResponse.optional(),
  /** From the start of the turn. */
  startOffsetMs: z.number().nonnegative(),
  durationMs: z.number().nonnegative(),
  error: ExchangeError.optional(),
  llm: LlmConversation.optional(),
});
export type Exchange = z.infer<typeof Exchange>;
