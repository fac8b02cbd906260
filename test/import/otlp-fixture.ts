/** A realistic OTLP/JSON export of GenAI spans, for importer tests. */
const base = 1_772_445_600_000; // ms
const ns = (ms: number) => String(BigInt(base + ms) * 1_000_000n);
const s = (v: string) => ({ stringValue: v });

function span(trace: string, id: string, parent: string | undefined, name: string, from: number, to: number, attrs: Record<string, unknown>) {
  return {
    traceId: trace,
    spanId: id,
    ...(parent ? { parentSpanId: parent } : {}),
    name,
    kind: 3,
    startTimeUnixNano: ns(from),
    endTimeUnixNano: ns(to),
    attributes: Object.entries(attrs).map(([key, value]) => ({ key, value: typeof value === 'number' ? { intValue: String(value) } : s(String(value)) })),
    status: {},
  };
}

/** Two turns of conversation conv-1 (two traces), one of conv-2, and one non-GenAI trace. */
export function otlpExport(): unknown {
  const input1 = [{ role: 'user', parts: [{ type: 'text', content: 'Where is order 42?' }] }];
  const output1 = [{ role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'lookup_order', arguments: { id: 42 } }], finish_reason: 'tool_call' }];
  const input2 = [...input1, ...output1, { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: { status: 'late' } }] }];
  const output2 = [{ role: 'assistant', parts: [{ type: 'text', content: 'Order 42 is running late.' }], finish_reason: 'stop' }];
  const spans = [
    span('t1', 'a1', undefined, 'invoke_agent support', 0, 900, { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.conversation.id': 'conv-1' }),
    span('t1', 'r1', 'a1', 'retrieval kb', 10, 60, { 'gen_ai.operation.name': 'retrieval', 'gen_ai.data_source.id': 'kb', 'gen_ai.retrieval.query': 'order 42' }),
    span('t1', 'c1', 'a1', 'chat gpt-4o', 70, 300, {
      'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.provider.name': 'openai',
      'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'Be kind.' }]),
      'gen_ai.input.messages': JSON.stringify(input1), 'gen_ai.output.messages': JSON.stringify(output1),
      'gen_ai.usage.input_tokens': 50, 'gen_ai.usage.output_tokens': 9,
    }),
    span('t1', 'x1', 'a1', 'execute_tool lookup_order', 310, 400, {
      'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup_order', 'gen_ai.tool.call.id': 'call_1',
      'gen_ai.tool.call.arguments': '{"id":42}', 'gen_ai.tool.call.result': '{"status":"late"}',
    }),
    span('t1', 'c2', 'a1', 'chat gpt-4o', 410, 880, {
      'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.provider.name': 'openai',
      'gen_ai.input.messages': JSON.stringify(input2), 'gen_ai.output.messages': JSON.stringify(output2),
    }),
    span('t2', 'c3', undefined, 'chat gpt-4o', 5000, 5400, {
      'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.conversation.id': 'conv-1',
      'gen_ai.input.messages': JSON.stringify([...input2, ...output2, { role: 'user', parts: [{ type: 'text', content: 'Thanks!' }] }]),
      'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'You are welcome.' }] }]),
    }),
    span('t3', 'c4', undefined, 'chat claude', 2000, 2100, {
      'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'claude-sonnet-4-5', 'gen_ai.conversation.id': 'conv-2',
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Hallo' }] }]),
      'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Hallo!' }] }]),
    }),
    span('t4', 'h1', undefined, 'GET /health', 0, 1, { 'http.route': '/health' }),
  ];
  return { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'app' }, spans }] }] };
}

