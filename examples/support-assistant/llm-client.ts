import { DependencyError, postForStream, postJson, type CallPolicy } from './dependency-client.ts';
import { readSse } from './sse-reader.ts';

/** OpenAI chat-completions wire types, as much of them as the app uses. */
export interface ToolCall {
  readonly id: string;
  readonly type: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

export type ChatMessage =
  | { readonly role: 'system' | 'user'; readonly content: string }
  | { readonly role: 'assistant'; readonly content: string | null; readonly tool_calls?: readonly ToolCall[] }
  | { readonly role: 'tool'; readonly tool_call_id: string; readonly content: string };

export interface ToolDefinition {
  readonly type: 'function';
  readonly function: { readonly name: string; readonly description: string; readonly parameters: Record<string, unknown> };
}

export interface CompletionRequest {
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly ToolDefinition[];
  readonly responseFormat?: 'json_object';
  readonly temperature?: number;
}

export interface Completion {
  readonly content: string;
  readonly toolCalls: readonly ToolCall[];
  readonly finishReason: string;
  /** True when a stream broke off after some content had already been delivered. */
  readonly interrupted: boolean;
}

export interface LlmClientOptions {
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey: string | undefined;
}

/** The LLM budget: a slow model is normal, but a turn must end. */
const LLM_POLICY: CallPolicy = { deadlineMs: 20_000, maxRetries: 2, backoffMs: 250, honourRetryAfter: true };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseToolCalls(value: unknown): ToolCall[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((call): ToolCall[] => {
    if (!isRecord(call) || !isRecord(call.function) || typeof call.function.name !== 'string') return [];
    const args = typeof call.function.arguments === 'string' ? call.function.arguments : '{}';
    return [{ id: String(call.id ?? ''), type: 'function', function: { name: call.function.name, arguments: args } }];
  });
}

/** A thin OpenAI-compatible chat-completions client on top of `dependency-client`. */
export class LlmClient {
  readonly #url: string;
  readonly #options: LlmClientOptions;

  constructor(options: LlmClientOptions) {
    this.#options = options;
    this.#url = `${options.baseUrl.replace(/\/$/, '')}/v1/chat/completions`;
  }

  #body(request: CompletionRequest, stream: boolean): Record<string, unknown> {
    const body: Record<string, unknown> = {
      model: this.#options.model,
      messages: request.messages,
      temperature: request.temperature ?? 0.2,
    };
    if (request.tools && request.tools.length > 0) body.tools = request.tools;
    if (request.responseFormat) body.response_format = { type: request.responseFormat };
    if (stream) {
      body.stream = true;
      body.stream_options = { include_usage: true };
    }
    return body;
  }

  #headers(): Record<string, string> {
    return this.#options.apiKey ? { authorization: `Bearer ${this.#options.apiKey}` } : {};
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    const response = await postJson(this.#url, this.#body(request, false), LLM_POLICY, this.#headers());
    const choice = isRecord(response.body) && Array.isArray(response.body.choices) ? (response.body.choices[0] as unknown) : undefined;
    if (response.status !== 200 || !isRecord(choice) || !isRecord(choice.message)) {
      throw new DependencyError('protocol', `POST ${this.#url} returned HTTP ${response.status} without a choice: ${JSON.stringify(response.body).slice(0, 300)}`, {
        status: response.status,
        attempts: 1,
      });
    }
    return {
      content: typeof choice.message.content === 'string' ? choice.message.content : '',
      toolCalls: parseToolCalls(choice.message.tool_calls),
      finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : 'stop',
      interrupted: false,
    };
  }

  /**
   * Streams a completion, calling `onDelta` for each content fragment as it arrives. Tool
   * calls are assembled from their `delta.tool_calls` fragments by index. A stream that
   * breaks before any content throws; one that breaks after returns what it got, marked
   * `interrupted`, since the user has already seen that text.
   */
  async stream(request: CompletionRequest, onDelta: (text: string) => void): Promise<Completion> {
    const response = await postForStream(this.#url, this.#body(request, true), LLM_POLICY, this.#headers());
    let content = '';
    let finishReason = 'stop';
    let done = false;
    const calls = new Map<number, { id: string; name: string; arguments: string }>();
    try {
      for await (const event of readSse(response.body as ReadableStream<Uint8Array>)) {
        if (event.data === '[DONE]') {
          done = true;
          break;
        }
        const chunk: unknown = JSON.parse(event.data);
        const choice = isRecord(chunk) && Array.isArray(chunk.choices) ? (chunk.choices[0] as unknown) : undefined;
        if (!isRecord(choice)) continue;
        if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason;
        const delta = isRecord(choice.delta) ? choice.delta : {};
        if (typeof delta.content === 'string' && delta.content !== '') {
          content += delta.content;
          onDelta(delta.content);
        }
        if (Array.isArray(delta.tool_calls)) {
          for (const fragment of delta.tool_calls as unknown[]) {
            if (!isRecord(fragment)) continue;
            const index = typeof fragment.index === 'number' ? fragment.index : 0;
            const call = calls.get(index) ?? { id: '', name: '', arguments: '' };
            const fn = isRecord(fragment.function) ? fragment.function : {};
            if (typeof fragment.id === 'string') call.id = fragment.id;
            if (typeof fn.name === 'string') call.name += fn.name;
            if (typeof fn.arguments === 'string') call.arguments += fn.arguments;
            calls.set(index, call);
          }
        }
      }
    } catch (cause) {
      if (content === '') {
        throw new DependencyError('network', `POST ${this.#url} stream failed: ${cause instanceof Error ? cause.message : String(cause)}`, { attempts: 1, cause });
      }
    }
    if (!done && content === '') {
      throw new DependencyError('protocol', `POST ${this.#url} stream ended before [DONE]`, { attempts: 1 });
    }
    const toolCalls = [...calls.entries()]
      .sort(([a], [b]) => a - b)
      .filter(([, call]) => call.name !== '')
      .map(([, call]): ToolCall => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments || '{}' } }));
    return { content, toolCalls, finishReason, interrupted: !done };
  }
}
