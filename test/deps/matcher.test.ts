import { describe, expect, it } from 'vitest';
import { indexCandidates, match, type CallToMatch } from '../../src/deps/index.ts';
import { bodyKey } from '../../src/deps/similarity.ts';
import { parseLlmExchange } from '../../src/wire/llm.ts';
import { fixtureSession } from './fixture.ts';

const session = fixtureSession();
const index = indexCandidates(session);
const recordedBody = (turn: number, i: number): unknown => session.turns[turn]?.exchanges[i]?.request.body;

function call(turn: number | null, path: string, repeat: number, body: unknown): CallToMatch {
  const llm = path.endsWith('/chat/completions') ? parseLlmExchange({ url: `http://x${path}`, body }) : undefined;
  return { turn, method: 'POST', path, repeat, key: bodyKey(body, llm) };
}

describe('match', () => {
  it('sequence: the n-th call of a route in a turn gets the n-th recorded one, body aside', () => {
    const hit = match(call(0, '/v1/chat/completions', 1, { model: 'gpt-test', messages: [] }), index.get('llm'));
    expect(hit).toMatchObject({ type: 'hit', candidate: { turn: 0, index: 3 } });
    expect(hit.type === 'hit' && hit.reason).toBe('sequence: POST /v1/chat/completions #2 of turn 0 (recorded as call 3)');
  });

  it('ignores volatile fields when comparing bodies', () => {
    const retry = { ...(recordedBody(0, 2) as object), request_id: 'r-2', timestamp: 123 };
    const hit = match(call(0, '/tools/lookup_order', 1, retry), index.get('tools'));
    expect(hit.type === 'hit' && hit.reason).toMatch(/similarity 1\.00/);
  });

  it('nearest turn: a call attributed to the wrong turn finds its recorded twin', () => {
    const hit = match(call(1, '/tools/lookup_order', 0, recordedBody(0, 2)), index.get('tools'));
    expect(hit).toMatchObject({ type: 'hit', candidate: { turn: 0, index: 2 } });
    expect(hit.type === 'hit' && hit.reason).toMatch(/^nearest turn: turn 0 call 2 \(turn 1 has no such call; body similarity 1\.00\)$/);
  });

  it('LLM calls compare the conversation tail: the last user message, not the raw bytes', () => {
    const recorded = recordedBody(1, 0) as { messages: Array<{ role: string; content: string }> };
    // Same tail, different system prompt and temperature: still the same question.
    const reworded = { ...recorded, temperature: 0.9, messages: [{ role: 'system', content: 'New prompt v2' }, ...recorded.messages.slice(1)] };
    expect(match(call(3, '/v1/chat/completions', 0, reworded), index.get('llm'))).toMatchObject({ type: 'hit', candidate: { turn: 1, index: 0 } });
    const other = { ...recorded, messages: [...recorded.messages.slice(0, -1), { role: 'user', content: 'Totally unrelated question about invoices' }] };
    const miss = match(call(3, '/v1/chat/completions', 0, other), index.get('llm'));
    expect(miss.type).toBe('miss');
    expect(miss.type === 'miss' && miss.nearest?.why).toMatch(/has path \/v1\/chat\/completions but body differs in conversation message 3 \(user\)/);
  });

  it('a miss with no recorded call of the dependency has no nearest', () => {
    expect(match(call(0, '/x', 0, {}), undefined)).toEqual({ type: 'miss' });
  });
});
