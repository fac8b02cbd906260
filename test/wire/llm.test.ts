import { describe, expect, it } from 'vitest';
import type { StreamChunk } from '../../src/model/index.ts';
import { detectLlmFormat, parseLlmExchange } from '../../src/wire/llm.ts';

/** SSE text split into chunks at arbitrary byte positions, as a network delivers it. */
function chunked(events: Array<string | object>, splitEvery = 37, named = false): StreamChunk[] {
  const text = events
    .map((e) => {
      if (typeof e === 'string') return `data: ${e}\n\n`;
      const type = (e as { type?: string }).type;
      return `${named && type ? `event: ${type}\n` : ''}data: ${JSON.stringify(e)}\n\n`;
    })
    .join('');
  const chunks: StreamChunk[] = [];
  for (let i = 0; i < text.length; i += splitEvery) chunks.push({ offsetMs: i, data: text.slice(i, i + splitEvery) });
  return chunks;
}

describe('OpenAI chat completions', () => {
  const url = 'https://llm.internal/v1/chat/completions';
  const request = {
    url,
    body: {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are a support assistant.' },
        { role: 'user', content: [{ type: 'text', text: 'Where is order ' }, { type: 'text', text: 'A-1042?' }] },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup_order', arguments: '{"id":"A-1042"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"status":"shipped"}' },
      ],
      tools: [{ type: 'function', function: { name: 'lookup_order', parameters: {} } }],
    },
  };

  it('detects the format by path and by body shape', () => {
    expect(detectLlmFormat(request)).toBe('openai-chat');
    expect(detectLlmFormat({ url: 'http://gw/llm', body: JSON.stringify(request.body) })).toBe('openai-chat');
    expect(detectLlmFormat({ url: 'http://tools/lookup', body: { id: 1 } })).toBeUndefined();
  });

  it('parses messages, tool calls, tool results and a whole response with usage', () => {
    const conv = parseLlmExchange(request, {
      body: {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        model: 'gpt-4o-mini-2024-07-18',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Order A-1042 has shipped.' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 81, completion_tokens: 9, total_tokens: 90 },
      },
    });
    expect(conv).toEqual({
      format: 'openai-chat',
      model: 'gpt-4o-mini',
      stream: false,
      messages: [
        { role: 'system', content: 'You are a support assistant.' },
        { role: 'user', content: 'Where is order A-1042?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'lookup_order', arguments: '{"id":"A-1042"}' }] },
        { role: 'tool', content: '{"status":"shipped"}', toolCallId: 'call_1' },
      ],
      output: [{ role: 'assistant', content: 'Order A-1042 has shipped.' }],
      usage: { inputTokens: 81, outputTokens: 9 },
    });
  });

  it('assembles a stream: text deltas, tool-call argument fragments, usage chunk', () => {
    const base = { id: 'c', object: 'chat.completion.chunk', model: 'gpt-4o-mini' };
    const chunks = chunked([
      { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] },
      { ...base, choices: [{ index: 0, delta: { content: 'Let me ' } }] },
      { ...base, choices: [{ index: 0, delta: { content: 'check.' } }] },
      { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_9', type: 'function', function: { name: 'lookup_order', arguments: '' } }] } }] },
      { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"id":' } }] } }] },
      { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"A-1042"}' } }] } }] },
      { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      { ...base, choices: [], usage: { prompt_tokens: 50, completion_tokens: 12 } },
      '[DONE]',
    ]);
    const conv = parseLlmExchange({ url, body: { ...request.body, stream: true } }, { chunks });
    expect(conv?.stream).toBe(true);
    expect(conv?.output).toEqual([
      { role: 'assistant', content: 'Let me check.', toolCalls: [{ id: 'call_9', name: 'lookup_order', arguments: '{"id":"A-1042"}' }] },
    ]);
    expect(conv?.usage).toEqual({ inputTokens: 50, outputTokens: 12 });
  });
});

describe('OpenAI Responses', () => {
  const url = 'https://api.openai.com/v1/responses';
  const request = {
    url,
    body: {
      model: 'gpt-4.1',
      instructions: 'Be brief.',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'Refund order A-7?' }] },
        { type: 'function_call', call_id: 'fc_1', name: 'refund', arguments: '{"order":"A-7"}' },
        { type: 'function_call_output', call_id: 'fc_1', output: '{"ok":true}' },
      ],
    },
  };

  it('parses instructions, input items, function calls and outputs', () => {
    const conv = parseLlmExchange(request, {
      body: {
        id: 'resp_1',
        object: 'response',
        model: 'gpt-4.1',
        output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Refunded.' }] }],
        usage: { input_tokens: 30, output_tokens: 3 },
      },
    });
    expect(conv?.format).toBe('openai-responses');
    expect(conv?.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Refund order A-7?' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'fc_1', name: 'refund', arguments: '{"order":"A-7"}' }] },
      { role: 'tool', content: '{"ok":true}', toolCallId: 'fc_1' },
    ]);
    expect(conv?.output).toEqual([{ role: 'assistant', content: 'Refunded.' }]);
    expect(conv?.usage).toEqual({ inputTokens: 30, outputTokens: 3 });
  });

  it('accepts a plain string input', () => {
    expect(parseLlmExchange({ url, body: { model: 'm', input: 'hi' } })?.messages).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('assembles a stream cut before response.completed from deltas', () => {
    const chunks = chunked(
      [
        { type: 'response.created', response: { id: 'r', model: 'gpt-4.1' } },
        { type: 'response.output_item.added', output_index: 0, item: { type: 'message', role: 'assistant', content: [] } },
        { type: 'response.output_text.delta', output_index: 0, delta: 'Hel' },
        { type: 'response.output_text.delta', output_index: 0, delta: 'lo' },
        { type: 'response.output_item.added', output_index: 1, item: { type: 'function_call', call_id: 'fc_2', name: 'search', arguments: '' } },
        { type: 'response.function_call_arguments.delta', output_index: 1, delta: '{"q":' },
        { type: 'response.function_call_arguments.delta', output_index: 1, delta: '"x"}' },
      ],
      23,
      true,
    );
    const conv = parseLlmExchange({ url, body: { ...request.body, stream: true } }, { chunks });
    expect(conv?.output).toEqual([{ role: 'assistant', content: 'Hello', toolCalls: [{ id: 'fc_2', name: 'search', arguments: '{"q":"x"}' }] }]);
  });

  it('prefers the whole response in response.completed', () => {
    const chunks = chunked([
      { type: 'response.output_text.delta', output_index: 0, delta: 'partial' },
      {
        type: 'response.completed',
        response: { output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Final.' }] }], usage: { input_tokens: 5, output_tokens: 2 } },
      },
    ]);
    const conv = parseLlmExchange({ url, body: request.body }, { chunks });
    expect(conv?.output).toEqual([{ role: 'assistant', content: 'Final.' }]);
    expect(conv?.usage).toEqual({ inputTokens: 5, outputTokens: 2 });
  });
});

describe('Anthropic Messages', () => {
  const url = 'https://api.anthropic.com/v1/messages';
  const request = {
    url,
    body: {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      system: [{ type: 'text', text: 'You help with orders.' }],
      messages: [
        { role: 'user', content: 'Status of A-1?' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'lookup_order', input: { id: 'A-1' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'delayed' }] },
            { type: 'text', text: 'And why?' },
          ],
        },
      ],
    },
  };

  it('detects by path and by body shape behind a gateway', () => {
    expect(detectLlmFormat(request)).toBe('anthropic-messages');
    expect(detectLlmFormat({ url: 'http://gateway/llm/invoke', body: request.body })).toBe('anthropic-messages');
  });

  it('parses system, tool_use and tool_result blocks and a whole response', () => {
    const conv = parseLlmExchange(request, {
      body: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5-20250929',
        content: [{ type: 'text', text: 'It is delayed by weather.' }],
        stop_reason: 'end_turn',
        usage: { input_tokens: 120, output_tokens: 8 },
      },
    });
    expect(conv?.messages).toEqual([
      { role: 'system', content: 'You help with orders.' },
      { role: 'user', content: 'Status of A-1?' },
      { role: 'assistant', content: 'Checking.', toolCalls: [{ id: 'toolu_1', name: 'lookup_order', arguments: '{"id":"A-1"}' }] },
      { role: 'tool', content: 'delayed', toolCallId: 'toolu_1' },
      { role: 'user', content: 'And why?' },
    ]);
    expect(conv?.output).toEqual([{ role: 'assistant', content: 'It is delayed by weather.' }]);
    expect(conv?.usage).toEqual({ inputTokens: 120, outputTokens: 8 });
  });

  it('assembles a named-event stream with text and input_json_delta fragments', () => {
    const chunks = chunked(
      [
        { type: 'message_start', message: { id: 'msg_2', model: 'claude-sonnet-4-5', usage: { input_tokens: 40, output_tokens: 1 } } },
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'One ' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'moment.' } },
        { type: 'content_block_stop', index: 0 },
        { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_2', name: 'search', input: {} } },
        { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"query": "del' } },
        { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: 'ay"}' } },
        { type: 'content_block_stop', index: 1 },
        { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 25 } },
        { type: 'message_stop' },
      ],
      41,
      true,
    );
    const conv = parseLlmExchange({ url, body: { ...request.body, stream: true } }, { chunks });
    expect(conv?.output).toEqual([
      { role: 'assistant', content: 'One moment.', toolCalls: [{ id: 'toolu_2', name: 'search', arguments: '{"query": "delay"}' }] },
    ]);
    expect(conv?.usage).toEqual({ inputTokens: 40, outputTokens: 25 });
  });
});

describe('malformed input', () => {
  const cases: Array<[string, unknown, unknown]> = [
    ['null body', null, undefined],
    ['truncated JSON text', '{"model":"x","messages":[{"role":', undefined],
    ['messages not an array', { model: 'x', messages: 'hello' }, undefined],
    ['garbage entries', { model: 'x', messages: [1, null, 'a', { role: 42, content: { weird: true } }] }, { choices: 'nope' }],
    ['garbage stream', { model: 'x', messages: [] }, { chunks: [{ offsetMs: 0, data: 'data: {not json\n\ndata: [DONE]\n\n' }] }],
  ];
  it.each(cases)('never throws: %s', (_name, body, response) => {
    expect(() => parseLlmExchange({ url: 'http://h/v1/chat/completions', body }, response as never)).not.toThrow();
  });

  it('keeps malformed streamed tool arguments verbatim', () => {
    const chunks = chunked([{ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'c', function: { name: 'f', arguments: '{"a":' } }] } }] }]);
    const conv = parseLlmExchange({ url: 'http://h/v1/chat/completions', body: { model: 'm', messages: [] } }, { chunks });
    expect(conv?.output[0]?.toolCalls?.[0]?.arguments).toBe('{"a":');
  });
});
