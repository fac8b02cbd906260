import { describe, expect, it } from 'vitest';
import { harImporter } from '../../src/import/har.ts';
import { emptyReport } from '../../src/import/importer.ts';
import type { Session } from '../../src/model/index.ts';
import { parseValueSource } from '../../src/record/value-source.ts';

const t0 = Date.parse('2026-03-02T10:00:00.000Z');
const at = (ms: number) => new Date(t0 + ms).toISOString();
const json = [{ name: 'Content-Type', value: 'application/json' }];

function entry(ms: number, time: number, method: string, url: string, body: unknown, status: number, response: string, mime = 'application/json') {
  return {
    startedDateTime: at(ms),
    time,
    request: { method, url, headers: [...json, { name: 'Authorization', value: 'Bearer sk-secret' }], ...(body === undefined ? {} : { postData: { mimeType: 'application/json', text: JSON.stringify(body) } }) },
    response: { status, headers: [{ name: 'Content-Type', value: mime }], content: { mimeType: mime, text: response } },
    timings: { send: 1, wait: time / 2, receive: time / 2 },
  };
}

const har = {
  log: {
    version: '1.2',
    creator: { name: 'Playwright', version: '1.65' },
    entries: [
      entry(0, 5, 'GET', 'https://app.example/index.html', undefined, 200, '<html></html>', 'text/html'),
      entry(100, 400, 'POST', 'https://app.example/chat', { session_id: 'sess-A', message: 'hi' }, 200, JSON.stringify({ reply: 'Hello!' })),
      entry(150, 100, 'POST', 'https://llm.internal/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, 200,
        JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'Hello!' } }], usage: { prompt_tokens: 3, completion_tokens: 2 } })),
      entry(1000, 300, 'POST', 'https://app.example/chat', { session_id: 'sess-A', message: 'order 7?' }, 200,
        'data: {"delta":"Shipped"}\n\ndata: {"delta":" today"}\n\n', 'text/event-stream'),
      entry(1050, 50, 'POST', 'https://tools.internal/lookup_order', { order_id: '7' }, 200, JSON.stringify({ status: 'shipped' })),
      entry(1100, 400, 'POST', 'https://app.example/chat', { session_id: 'sess-B', message: 'yo' }, 200, JSON.stringify({ reply: 'Hey' })),
      // Inside both windows (sess-A turn 2 and sess-B): not guessed.
      entry(1200, 20, 'POST', 'https://tools.internal/lookup_order', { order_id: '8' }, 200, '{}'),
    ],
  },
};

async function all(it: AsyncIterable<Session>): Promise<Session[]> {
  const out: Session[] = [];
  for await (const s of it) out.push(s);
  return out;
}

describe('HAR importer', () => {
  it('turns app requests into turns and dependency entries into their exchanges', async () => {
    const report = emptyReport();
    const sessions = await all(
      harImporter.import(JSON.stringify(har), {
        defaultSessionId: 'file.har',
        sessionFrom: parseValueSource('json:session_id', 's'),
        inputFrom: parseValueSource('json:/message', 'i'),
        replyFrom: parseValueSource('json:/reply', 'r'),
        deps: { llm: 'https://llm.internal', tools: 'https://tools.internal' },
      }, report),
    );
    expect(sessions.map((s) => [s.id, s.turns.length])).toEqual([['sess-A', 2], ['sess-B', 1]]);
    const [a] = sessions as [Session];
    expect(a.turns[0]).toMatchObject({ offsetMs: 0, input: { text: 'hi' }, output: { status: 200, text: 'Hello!', latencyMs: 400 } });
    expect(a.turns[0]?.exchanges).toHaveLength(1);
    expect(a.turns[0]?.exchanges[0]).toMatchObject({ kind: 'llm', name: 'gpt-4o', dependency: 'llm', path: '/v1/chat/completions', startOffsetMs: 50 });
    expect(a.turns[0]?.exchanges[0]?.llm?.output[0]?.content).toBe('Hello!');
    expect(a.turns[0]?.exchanges[0]?.request.headers.authorization).toBeUndefined();
    expect(a.turns[1]).toMatchObject({ offsetMs: 900, input: { text: 'order 7?' }, output: { text: 'Shipped today' } });
    expect(a.turns[1]?.exchanges.map((e) => [e.kind, e.name])).toEqual([['tool', 'lookup_order']]);
    expect(report).toMatchObject({ unattributed: 1, skipped: 1 });
  });

  it('puts everything in one session named after the file without --session-from', async () => {
    const sessions = await all(harImporter.import(JSON.stringify(har), { defaultSessionId: 'file.har' }, emptyReport()));
    expect(sessions.map((s) => [s.id, s.turns.length])).toEqual([['file.har', 6]]);
  });

  it('rejects a file that is not a HAR with a SCHEMA error', async () => {
    await expect(all(harImporter.import('{"nope":1}', { defaultSessionId: 'x' }, emptyReport()))).rejects.toMatchObject({ code: 'SCHEMA' });
  });
});
