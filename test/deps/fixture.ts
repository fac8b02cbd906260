import { request } from 'undici';
import { createRekeyer } from '../../src/anonymize/index.ts';
import { startVirtualDeps, type InstanceContext, type VirtualDeps, type VirtualDepsOptions } from '../../src/deps/index.ts';
import type { CallEvent, Exchange, Session, StreamChunk } from '../../src/model/index.ts';
import { DependencyConfig, FaultRule } from '../../src/scenario/schema.ts';
import { parseLlmExchange } from '../../src/wire/llm.ts';

/** Recorded surrogates of the fixture session: re-keying must replace them in every answer. */
export const RECORDED_EMAIL = 'maya.3fa2c1@harbor.example';
export const RECORDED_ORDER = 'ORD-48213';

const SYSTEM = { role: 'system', content: 'You are the support assistant.' };

function llmExchange(turnMessages: Array<Record<string, unknown>>, answer: { body?: unknown; chunks?: StreamChunk[] }, startOffsetMs: number): Exchange {
  const body = { model: 'gpt-test', messages: [SYSTEM, ...turnMessages], ...(answer.chunks ? { stream: true } : {}) };
  const req = { method: 'POST', url: 'https://llm.internal/v1/chat/completions', headers: { 'content-type': 'application/json' }, body };
  const response = answer.chunks
    ? { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: answer.chunks }
    : { status: 200, headers: { 'content-type': 'application/json' }, body: answer.body };
  const llm = parseLlmExchange(req, response);
  return { kind: 'llm', name: 'gpt-test', dependency: 'llm', path: '/v1/chat/completions', request: req, response, startOffsetMs, durationMs: 40, ...(llm ? { llm } : {}) };
}

const toolCallAnswer = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  choices: [
    {
      index: 0,
      finish_reason: 'tool_calls',
      message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup_order', arguments: `{"order_id":"${RECORDED_ORDER}"}` } }] },
    },
  ],
};

const finalAnswer = {
  id: 'chatcmpl-2',
  object: 'chat.completion',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: `Order ${RECORDED_ORDER} for ${RECORDED_EMAIL} ships tomorrow.` } }],
};

const sse = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;
const delta = (d: Record<string, unknown>, finish: string | null = null): string =>
  sse({ id: 'chatcmpl-3', object: 'chat.completion.chunk', choices: [{ index: 0, delta: d, finish_reason: finish }] });

/** Streamed answer with recorded offsets 0, 60, 120, 180 ms. */
export const STREAM_CHUNKS: StreamChunk[] = [
  { offsetMs: 0, data: delta({ role: 'assistant', content: 'Your ' }) },
  { offsetMs: 60, data: delta({ content: `refund for ${RECORDED_ORDER} ` }) },
  { offsetMs: 120, data: delta({ content: 'is on its way.' }, 'stop') },
  { offsetMs: 180, data: 'data: [DONE]\n\n' },
];

/** Streamed tool call: arguments split over two fragments. */
export const TOOL_STREAM_CHUNKS: StreamChunk[] = [
  { offsetMs: 0, data: delta({ role: 'assistant', tool_calls: [{ index: 0, id: 'call_9', type: 'function', function: { name: 'refund', arguments: '{"order_id":' } }] }) },
  { offsetMs: 10, data: delta({ tool_calls: [{ index: 0, function: { arguments: `"${RECORDED_ORDER}"}` } }] }) },
  { offsetMs: 20, data: delta({}, 'tool_calls') },
  { offsetMs: 30, data: 'data: [DONE]\n\n' },
];

export const DOCS = [
  { id: 'd1', title: 'Refunds', text: 'Refunds take 5 days.', updated_at: '2026-01-10T00:00:00.000Z' },
  { id: 'd2', title: 'Shipping', text: 'We ship daily.', updated_at: '2026-02-01' },
  { id: 'd3', title: 'Returns', text: 'Returns within 30 days.', updated_at: '2026-03-05T12:00:00Z' },
];

const user0 = { role: 'user', content: `Where is my order ${RECORDED_ORDER}? My email is ${RECORDED_EMAIL}` };
const user1 = { role: 'user', content: 'Can I get a refund instead?' };

/**
 * A recorded session, built the way the recorder writes one: turn 0 has a retrieval search, an
 * LLM call answering with a tool call, the tool call and the final LLM answer; turn 1 a
 * streamed LLM answer and a streamed tool call.
 */
export function fixtureSession(id = 'sess-1'): Session {
  const toolMsg = { role: 'assistant', content: null, tool_calls: toolCallAnswer.choices[0]?.message.tool_calls };
  const toolResult = { role: 'tool', tool_call_id: 'call_1', content: `{"order":"${RECORDED_ORDER}","status":"shipped"}` };
  const turn0: Exchange[] = [
    {
      kind: 'retrieval',
      name: 'help-center',
      dependency: 'search',
      path: '/search',
      request: { method: 'POST', url: 'https://search.internal/search', headers: {}, body: { query: 'where is my order', top_k: 3 } },
      response: { status: 200, headers: { 'content-type': 'application/json' }, body: { documents: DOCS } },
      startOffsetMs: 5,
      durationMs: 30,
    },
    llmExchange([user0], { body: toolCallAnswer }, 40),
    {
      kind: 'tool',
      name: 'lookup_order',
      dependency: 'tools',
      path: '/tools/lookup_order',
      request: { method: 'POST', url: 'https://tools.internal/tools/lookup_order', headers: {}, body: { order_id: RECORDED_ORDER } },
      response: { status: 200, headers: { 'content-type': 'application/json' }, body: { order: RECORDED_ORDER, status: 'shipped', email: RECORDED_EMAIL } },
      startOffsetMs: 90,
      durationMs: 250,
    },
    llmExchange([user0, toolMsg, toolResult], { body: finalAnswer }, 350),
  ];
  const turn1: Exchange[] = [
    llmExchange([user0, { role: 'assistant', content: finalAnswer.choices[0]?.message.content }, user1], { chunks: STREAM_CHUNKS }, 10),
    llmExchange([user0, user1, { role: 'user', content: 'Refund it now.' }], { chunks: TOOL_STREAM_CHUNKS }, 300),
  ];
  return {
    id,
    startedAt: '2026-03-01T10:00:00.000Z',
    segment: { language: 'en' },
    identities: [
      { type: 'email', surrogate: RECORDED_EMAIL },
      { type: 'custom:order_id', surrogate: RECORDED_ORDER },
    ],
    turns: [
      { index: 0, offsetMs: 0, input: { text: user0.content }, output: { status: 200, text: 'ok', latencyMs: 600 }, exchanges: turn0 },
      { index: 1, offsetMs: 5000, input: { text: user1.content }, output: { status: 200, text: 'ok', latencyMs: 400 }, exchanges: turn1 },
    ],
  };
}

/** The request body the app sends for the recorded exchange `index` of `turn`, re-keyed to the instance. */
export function liveBody(ctx: InstanceContext, turn: number, index: number): unknown {
  const exchange = ctx.recorded.turns[turn]?.exchanges[index];
  if (!exchange) throw new Error(`fixture has no exchange ${turn}/${index}`);
  return ctx.rekeyer.apply(exchange.request.body);
}

export function instance(id: string, options: Partial<InstanceContext> = {}): InstanceContext {
  const recorded = options.recorded ?? fixtureSession();
  return {
    instance: id,
    seedKey: options.seedKey ?? `${id}~k`,
    recorded,
    rekeyer: options.rekeyer ?? createRekeyer(recorded.identities, `test-${id}`),
    variant: 'main',
    faultsEnabled: options.faultsEnabled ?? true,
  };
}

export const DEPS = {
  llm: DependencyConfig.parse({ kind: 'llm' }),
  tools: DependencyConfig.parse({ kind: 'tool' }),
  search: DependencyConfig.parse({ kind: 'retrieval' }),
};

export interface Harness {
  deps: VirtualDeps;
  calls: CallEvent[];
  warnings: string[];
}

/** Starts virtual dependencies collecting calls and warnings; faults given as scenario YAML would write them. */
export async function startHarness(options: { faults?: unknown[]; dependencies?: Record<string, unknown>; seed?: string } & Partial<Pick<VirtualDepsOptions, 'clock' | 'holdUntil'>> = {}): Promise<Harness> {
  const calls: CallEvent[] = [];
  const warnings: string[] = [];
  const dependencies = options.dependencies
    ? Object.fromEntries(Object.entries(options.dependencies).map(([k, v]) => [k, DependencyConfig.parse(v)]))
    : DEPS;
  const deps = await startVirtualDeps({
    dependencies,
    faults: (options.faults ?? []).map((f) => FaultRule.parse(f)),
    seed: options.seed ?? 'seed-1',
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.holdUntil ? { holdUntil: options.holdUntil } : {}),
    onCall: (e) => calls.push(e),
    onWarning: (w) => warnings.push(w),
  });
  return { deps, calls, warnings };
}

/** POSTs JSON to a virtual dependency as the app would; resolves status, headers and text. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

/** Attribution headers the replayer's targets send. */
export const turnHeaders = (instanceId: string, turn: number): Record<string, string> => ({ 'x-rehearsal-session': instanceId, 'x-rehearsal-turn': String(turn) });

/** Waits (bounded) until `n` calls were journaled: the event is emitted just after the answer. */
export async function callsAfter(h: Harness, n: number): Promise<CallEvent[]> {
  for (let i = 0; i < 1000 && h.calls.length < n; i++) await new Promise((r) => setTimeout(r, 2));
  if (h.calls.length < n) throw new Error(`expected ${n} journaled calls, got ${h.calls.length}`);
  return h.calls;
}
