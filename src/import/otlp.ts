/**
 * OTLP/JSON traces with OpenTelemetry GenAI spans → sessions. A session is a
 * `gen_ai.conversation.id`; a turn is one trace of that conversation; its exchanges are the
 * trace's GenAI spans: `chat` / `text_completion` / `generate_content` (llm),
 * `execute_tool` (tool) and retrieval spans (`retrieval` operation, or a name saying
 * retrieve/search). Messages come from `gen_ai.input.messages` / `gen_ai.output.messages`
 * (and `gen_ai.system_instructions`) in the semantic conventions' parts format.
 *
 * Spans carry no HTTP payloads, so each exchange gets a synthesized one a replay can serve:
 * an OpenAI chat-completions request/response for llm spans, the arguments / result JSON for
 * tools, the query / documents for retrieval.
 */
import type { Exchange, LlmMessage, Session, ToolCall, Turn } from '../model/index.ts';
import type { Importer, ImportOptions, ImportReport } from './importer.ts';
import { readSpans, type Span } from './otlp-spans.ts';

const LLM_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content']);

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function json(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

type Part = { type?: string; content?: unknown; id?: string; name?: string; arguments?: unknown; response?: unknown; result?: unknown };

/** Semantic-conventions messages (`[{role, parts: [...]}]`) → the model's messages. */
export function toMessages(value: unknown): LlmMessage[] {
  const out: LlmMessage[] = [];
  if (!Array.isArray(value)) return out;
  for (const raw of value as Array<{ role?: string; parts?: Part[]; content?: unknown }>) {
    const role = (['system', 'developer', 'user', 'assistant', 'tool'].includes(raw.role ?? '') ? raw.role : 'user') as LlmMessage['role'];
    const texts: string[] = [];
    const calls: ToolCall[] = [];
    for (const part of raw.parts ?? []) {
      if (part.type === 'text' && typeof part.content === 'string') texts.push(part.content);
      else if (part.type === 'tool_call') calls.push({ id: part.id ?? '', name: part.name ?? '', arguments: typeof part.arguments === 'string' ? part.arguments : JSON.stringify(part.arguments ?? {}) });
      else if (part.type === 'tool_call_response') {
        const response = part.response ?? part.result;
        out.push({ role: 'tool', content: typeof response === 'string' ? response : JSON.stringify(response ?? null), toolCallId: part.id ?? '' });
      }
    }
    if (typeof raw.content === 'string') texts.push(raw.content);
    if (texts.length > 0 || calls.length > 0) {
      const msg: LlmMessage = { role, content: texts.join('') };
      if (calls.length > 0) msg.toolCalls = calls;
      out.push(msg);
    }
  }
  return out;
}

function systemMessages(value: unknown): LlmMessage[] {
  const parts = Array.isArray(value) ? (value as Part[]) : [];
  const text = parts.map((p) => (typeof p.content === 'string' ? p.content : '')).join('');
  return text ? [{ role: 'system', content: text }] : [];
}

function openAiMessage(m: LlmMessage): Record<string, unknown> {
  const out: Record<string, unknown> = { role: m.role, content: m.content };
  if (m.toolCalls) out.tool_calls = m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
  if (m.toolCallId !== undefined) out.tool_call_id = m.toolCallId;
  return out;
}

function operation(span: Span): string | undefined {
  const op = str(span.attributes['gen_ai.operation.name']);
  if (op) return op;
  return /retriev|search|vector/i.test(span.name) ? 'retrieval' : undefined;
}

function llmExchange(span: Span, turnStart: number): Exchange {
  const a = span.attributes;
  const model = str(a['gen_ai.request.model']) ?? str(a['gen_ai.response.model']) ?? 'unknown-model';
  const provider = str(a['gen_ai.provider.name']) ?? str(a['gen_ai.system']) ?? 'llm';
  const messages = [...systemMessages(json(a['gen_ai.system_instructions'])), ...toMessages(json(a['gen_ai.input.messages']))];
  const output = toMessages(json(a['gen_ai.output.messages'])).map((m) => ({ ...m, role: 'assistant' as const }));
  const inputTokens = Number(a['gen_ai.usage.input_tokens'] ?? 0);
  const outputTokens = Number(a['gen_ai.usage.output_tokens'] ?? 0);
  const exchange: Exchange = {
    kind: 'llm',
    name: model,
    dependency: provider,
    path: '/v1/chat/completions',
    request: { method: 'POST', url: `otlp://${provider}/v1/chat/completions`, headers: { 'content-type': 'application/json' }, body: { model, messages: messages.map(openAiMessage) } },
    response: {
      status: span.statusError ? 500 : 200,
      headers: { 'content-type': 'application/json' },
      body: {
        object: 'chat.completion',
        model,
        choices: output.map((m, index) => ({ index, message: openAiMessage(m), finish_reason: m.toolCalls ? 'tool_calls' : 'stop' })),
        usage: { prompt_tokens: inputTokens, completion_tokens: outputTokens },
      },
    },
    startOffsetMs: Math.max(0, span.start - turnStart),
    durationMs: Math.max(0, span.end - span.start),
    llm: { format: 'openai-chat', model, stream: false, messages, output, ...(inputTokens || outputTokens ? { usage: { inputTokens, outputTokens } } : {}) },
  };
  if (span.statusError) exchange.error = { code: 'span_error', message: span.statusError };
  return exchange;
}

function toolExchange(span: Span, turnStart: number): Exchange {
  const a = span.attributes;
  const name = str(a['gen_ai.tool.name']) ?? span.name.replace(/^execute_tool\s*/, '') ?? 'tool';
  const exchange: Exchange = {
    kind: 'tool',
    name,
    dependency: 'tools',
    path: `/${name}`,
    request: { method: 'POST', url: `otlp://tools/${name}`, headers: { 'content-type': 'application/json' }, body: json(a['gen_ai.tool.call.arguments']) ?? {} },
    response: { status: span.statusError ? 500 : 200, headers: { 'content-type': 'application/json' }, body: json(a['gen_ai.tool.call.result']) ?? null },
    startOffsetMs: Math.max(0, span.start - turnStart),
    durationMs: Math.max(0, span.end - span.start),
  };
  if (span.statusError) exchange.error = { code: 'span_error', message: span.statusError };
  return exchange;
}

function retrievalExchange(span: Span, turnStart: number): Exchange {
  const a = span.attributes;
  const index = str(a['gen_ai.data_source.id']) ?? str(a['db.collection.name']) ?? 'index';
  const query = a['gen_ai.retrieval.query'] ?? a['db.query.text'] ?? a['gen_ai.prompt'];
  const docs = json(a['gen_ai.retrieval.documents']);
  const exchange: Exchange = {
    kind: 'retrieval',
    name: index,
    dependency: 'retrieval',
    path: `/${index}/search`,
    request: { method: 'POST', url: `otlp://retrieval/${index}/search`, headers: { 'content-type': 'application/json' }, body: { query } },
    response: { status: span.statusError ? 500 : 200, headers: { 'content-type': 'application/json' }, body: { documents: docs ?? [] } },
    startOffsetMs: Math.max(0, span.start - turnStart),
    durationMs: Math.max(0, span.end - span.start),
  };
  if (span.statusError) exchange.error = { code: 'span_error', message: span.statusError };
  return exchange;
}

function lastText(messages: LlmMessage[], role: LlmMessage['role']): string | undefined {
  return messages.findLast((m) => m.role === role && m.content)?.content;
}

function toTurn(trace: Span[], index: number, sessionStart: number): Turn {
  const start = Math.min(...trace.map((s) => s.start));
  const end = Math.max(...trace.map((s) => s.end));
  const exchanges: Exchange[] = [];
  for (const span of trace) {
    const op = operation(span);
    if (op && LLM_OPERATIONS.has(op)) exchanges.push(llmExchange(span, start));
    else if (op === 'execute_tool') exchanges.push(toolExchange(span, start));
    else if (op === 'retrieval') exchanges.push(retrievalExchange(span, start));
  }
  exchanges.sort((a, b) => a.startOffsetMs - b.startOffsetMs);
  // The user's words: an agent span's input, else the first model call's last user message.
  const agent = trace.find((s) => operation(s) === 'invoke_agent');
  const agentInput = agent ? toMessages(json(agent.attributes['gen_ai.input.messages'])) : [];
  const agentOutput = agent ? toMessages(json(agent.attributes['gen_ai.output.messages'])) : [];
  const llm = exchanges.filter((e) => e.llm);
  const input = lastText(agentInput, 'user') ?? lastText(llm[0]?.llm?.messages ?? [], 'user') ?? '';
  const reply = lastText(agentOutput, 'assistant') ?? lastText(llm.at(-1)?.llm?.output ?? [], 'assistant') ?? '';
  const failed = trace.find((s) => s.statusError && !s.parentSpanId);
  return {
    index,
    offsetMs: start - sessionStart,
    input: { text: input },
    output: { status: failed ? 500 : 200, text: reply, latencyMs: end - start, ...(failed ? { error: failed.statusError } : {}) },
    exchanges,
  };
}

export const otlpImporter: Importer = {
  format: 'otlp',
  async *import(text: string, options: ImportOptions, report: ImportReport): AsyncIterable<Session> {
    const traces = new Map<string, Span[]>();
    for (const span of readSpans(text)) traces.set(span.traceId, [...(traces.get(span.traceId) ?? []), span]);
    const sessions = new Map<string, Span[][]>();
    for (const trace of traces.values()) {
      if (!trace.some((s) => operation(s) !== undefined)) {
        report.skipped++;
        continue;
      }
      const conversation = trace.map((s) => str(s.attributes['gen_ai.conversation.id'])).find((c) => c !== undefined);
      if (!conversation) report.warnings.push(`trace ${trace[0]?.traceId} has no gen_ai.conversation.id: put in session ${options.defaultSessionId}`);
      const id = conversation ?? options.defaultSessionId;
      sessions.set(id, [...(sessions.get(id) ?? []), trace]);
    }
    for (const [id, list] of sessions) {
      list.sort((a, b) => Math.min(...a.map((s) => s.start)) - Math.min(...b.map((s) => s.start)));
      const sessionStart = Math.min(...(list[0] ?? []).map((s) => s.start));
      yield {
        id,
        startedAt: new Date(sessionStart).toISOString(),
        segment: { source: 'otlp' },
        identities: [],
        turns: list.map((trace, i) => toTurn(trace, i, sessionStart)),
      };
    }
  },
};
