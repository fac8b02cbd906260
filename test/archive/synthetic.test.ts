import { describe, expect, it } from 'vitest';
import { generateSession, generateSessions, streamSessions } from '../../src/fixtures/synthetic.ts';
import { Session } from '../../src/model/index.ts';

describe('synthetic session generator', () => {
  const sessions = generateSessions({ seed: 42, sessions: 40, turnsMin: 1, turnsMax: 6 });

  it('writes sessions the schema accepts, with the shapes tests rely on', () => {
    for (const s of sessions) expect(Session.safeParse(s).success).toBe(true);
    const exchanges = sessions.flatMap((s) => s.turns.flatMap((t) => t.exchanges));
    expect(new Set(exchanges.map((x) => x.kind))).toEqual(new Set(['llm', 'tool', 'retrieval']));
    const llm = exchanges.filter((x) => x.kind === 'llm');
    expect(llm.every((x) => x.llm?.format === 'openai-chat' && Array.isArray((x.request.body as { messages: unknown[] }).messages))).toBe(true);
    const streamed = llm.filter((x) => x.response?.chunks);
    expect(streamed.length).toBeGreaterThan(0);
    expect(streamed[0]?.response?.chunks?.at(-1)?.data).toBe('data: [DONE]\n\n');
    expect(llm.some((x) => (x.response?.body as { choices?: unknown[] } | undefined)?.choices)).toBe(true);
    expect(exchanges.some((x) => x.error?.code === 'http_503')).toBe(true);
    const identities = sessions.flatMap((s) => s.identities);
    expect(identities.filter((i) => i.type === 'email').every((i) => /@[a-z]+\.example$/.test(i.surrogate))).toBe(true);
    expect(identities.filter((i) => i.type === 'phone').every((i) => /555-01\d\d$/.test(i.surrogate))).toBe(true);
    expect(Object.keys(sessions[0]?.segment ?? {}).sort()).toEqual(['app_version', 'channel', 'language', 'turns']);
    // Later turns carry the earlier conversation (what context-loss detection compares).
    const multi = sessions.find((s) => s.turns.length >= 3);
    const lastLlm = multi?.turns.at(-1)?.exchanges.filter((x) => x.kind === 'llm').at(-1);
    expect(lastLlm?.llm?.messages.some((m) => m.content === multi?.turns[0]?.input.text)).toBe(true);
  });

  it('is deterministic per seed and per index, whatever the batch', async () => {
    expect(generateSessions({ seed: 42, sessions: 40, turnsMin: 1, turnsMax: 6 })).toEqual(sessions);
    expect(generateSession({ seed: 42, sessions: 1, turnsMin: 1, turnsMax: 6 }, 17)).toEqual(sessions[17]);
    const streamed = [];
    for await (const s of streamSessions({ seed: 42, sessions: 5, startIndex: 35, turnsMin: 1, turnsMax: 6 })) streamed.push(s);
    expect(streamed).toEqual(sessions.slice(35));
    expect(generateSessions({ seed: 43, sessions: 1 })[0]?.id).not.toBe(generateSessions({ seed: 42, sessions: 1 })[0]?.id);
  });

  it('respects turn bounds and scales payloads', () => {
    expect(sessions.every((s) => s.turns.length >= 1 && s.turns.length <= 6)).toBe(true);
    const small = JSON.stringify(generateSessions({ seed: 1, sessions: 5 })).length;
    const large = JSON.stringify(generateSessions({ seed: 1, sessions: 5, payloadScale: 8 })).length;
    expect(large).toBeGreaterThan(small * 1.5);
  });
});
