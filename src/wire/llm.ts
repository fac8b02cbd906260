/**
 * CONTRACT STUB — the recorder helper replaces this body: parsing of the LLM wire formats
 * (OpenAI chat completions, OpenAI Responses, Anthropic Messages; streamed or not) into the
 * model's `LlmConversation`. Used by the recorder, the virtual dependencies and the detectors.
 */
import type { LlmConversation, LlmWireFormat, RecordedRequest, RecordedResponse } from '../model/index.ts';

/** Recognizes a known LLM wire format from the request URL path and body, or undefined. */
export function detectLlmFormat(_request: Pick<RecordedRequest, 'url' | 'body'>): LlmWireFormat | undefined {
  return undefined;
}

/**
 * Parses request (and response, when given: whole body or SSE chunks) into a conversation.
 * Undefined when the exchange is not a known LLM format. Never throws on malformed input.
 */
export function parseLlmExchange(
  _request: Pick<RecordedRequest, 'url' | 'body'>,
  _response?: Pick<RecordedResponse, 'body' | 'chunks'>,
): LlmConversation | undefined {
  return undefined;
}
