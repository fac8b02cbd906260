import type { ModelDecision } from './rule-model.ts';

/**
 * The OpenAI chat-completions wire format for a model decision: one `chat.completion`
 * object, or the `chat.completion.chunk` sequence of a streamed answer (content split into
 * word groups, tool calls as `delta.tool_calls` fragments, an optional usage chunk).
 */
export interface Usage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
}

export interface CompletionMeta {
  readonly id: string;
  readonly created: number;
  readonly model: string;
}

/** Roughly four characters a token, as tokenizers average on English. */
export function estimateUsage(request: unknown, decision: ModelDecision): Usage {
  const messages = (request as { messages?: unknown } | null)?.messages;
  const prompt = Math.ceil(JSON.stringify(messages ?? []).length / 4);
  const output = decision.content ?? decision.toolCalls.map((call) => call.name + call.arguments).join('');
  const completion = Math.max(1, Math.ceil(output.length / 4));
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function toolCallsOf(decision: ModelDecision): Array<Record<string, unknown>> {
  return decision.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
}

export function completionObject(decision: ModelDecision, meta: CompletionMeta, usage: Usage): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: decision.content, refusal: null };
  if (decision.toolCalls.length > 0) message.tool_calls = toolCallsOf(decision);
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: decision.finishReason }],
    usage,
    system_fingerprint: 'fp_rule_model_v1',
  };
}

/** Splits text into groups of a few words, keeping the whitespace, so chunks rejoin exactly. */
export function splitForStreaming(text: string, wordsPerChunk = 3): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [];
  const chunks: string[] = [];
  for (let i = 0; i < words.length; i += wordsPerChunk) chunks.push(words.slice(i, i + wordsPerChunk).join(''));
  return chunks;
}

export function completionChunks(decision: ModelDecision, meta: CompletionMeta, usage: Usage, includeUsage: boolean): Array<Record<string, unknown>> {
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> => ({
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    system_fingerprint: 'fp_rule_model_v1',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
  const chunks: Array<Record<string, unknown>> = [];
  if (decision.toolCalls.length > 0) {
    decision.toolCalls.forEach((call, index) => {
      const head = { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } };
      chunks.push(chunk(index === 0 ? { role: 'assistant', content: null, tool_calls: [head] } : { tool_calls: [head] }));
      for (let at = 0; at < call.arguments.length; at += 12) {
        chunks.push(chunk({ tool_calls: [{ index, function: { arguments: call.arguments.slice(at, at + 12) } }] }));
      }
    });
  } else {
    chunks.push(chunk({ role: 'assistant', content: '', refusal: null }));
    for (const piece of splitForStreaming(decision.content ?? '')) chunks.push(chunk({ content: piece }));
  }
  chunks.push(chunk({}, decision.finishReason));
  if (includeUsage) {
    chunks.push({ id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, system_fingerprint: 'fp_rule_model_v1', choices: [], usage });
  }
  return chunks;
}
