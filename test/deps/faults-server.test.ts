import { describe, expect, it } from 'vitest';
import { request } from 'undici';
import { SseParser } from '../../src/wire/sse.ts';
import { callsAfter, DOCS, instance, liveBody, post, startHarness, turnHeaders, type Harness } from './fixture.ts';

/** Runs `fn` against virtual dependencies with these fault rules and one registered instance `i`. */
async function withFaults(faults: unknown[], fn: (h: Harness, url: (dep: string, path: string) => string) => Promise<void>, faultsEnabled = true): Promise<void> {
  const h = await startHarness({ faults });
  try {
    h.deps.register(instance('i', { faultsEnabled }));
    await fn(h, (dep, path) => `${h.deps.baseUrl(dep)}${path}`);
  } finally {
    await h.deps.close();
  }
}

const lookupBody = () => liveBody(instance('i'), 0, 2);
const searchBody = { query: 'where is my order', top_k: 3 };

async function readStream(url: string, body: unknown, headers: Record<string, string>): Promise<Array<{ at: number; data: string }>> {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const parser = new SseParser();
  const start = performance.now();
  const events: Array<{ at: number; data: string }> = [];
  for await (const piece of res.body) for (const ev of parser.push(String(piece))) events.push({ at: performance.now() - start, data: ev.data });
  return events;
}

describe('fault kinds, observed by a real client', () => {
  it('latency: the answer comes no sooner than the configured delay', async () => {
    await withFaults([{ kind: 'latency', dependency: 'tools', ms: '150ms' }], async (h, url) => {
      const start = performance.now();
      expect((await post(url('tools', '/tools/lookup_order'), lookupBody(), turnHeaders('i', 0))).status).toBe(200);
      expect(performance.now() - start).toBeGreaterThanOrEqual(145);
      expect((await callsAfter(h, 1))[0]?.faults).toEqual([{ kind: 'latency', rule: 0, detail: { ms: 150 } }]);
    });
  });

  it('latency recorded × factor stretches the recorded duration', async () => {
    await withFaults([{ kind: 'latency', dependency: 'tools', distribution: 'recorded', factor: 0.5 }], async (_h, url) => {
      const start = performance.now();
      await post(url('tools', '/tools/lookup_order'), lookupBody(), turnHeaders('i', 0));
      expect(performance.now() - start).toBeGreaterThanOrEqual(120); // recorded 250 ms × 0.5
    });
  });

  it('http-error: 429 with retry-after, and a custom body', async () => {
    await withFaults(
      [
        { kind: 'http-error', dependency: 'tools', status: 429, retryAfter: 2 },
        { kind: 'http-error', dependency: 'search', status: 500, body: { error: 'index offline' } },
      ],
      async (h, url) => {
        const limited = await post(url('tools', '/tools/lookup_order'), lookupBody(), turnHeaders('i', 0));
        expect(limited.status).toBe(429);
        expect(limited.headers['retry-after']).toBe('2');
        const failed = await post(url('search', '/search'), searchBody, turnHeaders('i', 0));
        expect(failed.status).toBe(500);
        expect(JSON.parse(failed.text)).toEqual({ error: 'index offline' });
        const calls = await callsAfter(h, 2);
        expect(calls[0]?.match.mode).toBe('replay'); // what it would have answered, for the detectors
        expect(calls[0]?.response?.status).toBe(429);
      },
    );
  });

  it('reset: the client sees the connection reset, no response', async () => {
    await withFaults([{ kind: 'reset', dependency: 'tools' }], async (h, url) => {
      await expect(post(url('tools', '/tools/lookup_order'), lookupBody(), turnHeaders('i', 0))).rejects.toThrow(/ECONNRESET|other side closed|socket/i);
      const [call] = await callsAfter(h, 1);
      expect(call?.response).toBeNull();
      expect(call?.error?.code).toBe('ECONNRESET');
    });
  });

  it('hang: no answer until the app gives up', async () => {
    await withFaults([{ kind: 'hang', dependency: 'tools', ms: '60s' }], async (h, url) => {
      const call = request(url('tools', '/tools/lookup_order'), {
        method: 'POST',
        headers: turnHeaders('i', 0),
        body: JSON.stringify(lookupBody()),
        signal: AbortSignal.timeout(100),
      });
      await expect(call).rejects.toThrow();
      const [event] = await callsAfter(h, 1);
      expect(event?.error?.code).toBe('client_closed');
      expect(event?.faults[0]).toMatchObject({ kind: 'hang', detail: { ms: 60_000 } });
    });
  });

  it('hang with ms: the connection is dropped after it', async () => {
    await withFaults([{ kind: 'hang', dependency: 'tools', ms: '50ms' }], async (h, url) => {
      await expect(post(url('tools', '/tools/lookup_order'), lookupBody(), turnHeaders('i', 0))).rejects.toThrow();
      expect((await callsAfter(h, 1))[0]?.error?.code).toBe('hang');
    });
  });

  it('truncate: the body is cut short and no longer parses', async () => {
    await withFaults([{ kind: 'truncate', dependency: 'tools', fraction: 0.5 }], async (h, url) => {
      const res = await post(url('tools', '/tools/lookup_order'), lookupBody(), turnHeaders('i', 0));
      expect(res.status).toBe(200);
      expect(() => JSON.parse(res.text)).toThrow();
      expect(res.text.startsWith('{"order":')).toBe(true);
      expect((await callsAfter(h, 1))[0]?.response?.body).toBe(res.text);
    });
  });

  it('malformed: invalid JSON with the original status', async () => {
    await withFaults([{ kind: 'malformed', dependency: 'search' }], async (_h, url) => {
      const res = await post(url('search', '/search'), searchBody, turnHeaders('i', 0));
      expect(res.status).toBe(200);
      expect(() => JSON.parse(res.text)).toThrow();
    });
  });

  it('malformed-tool-call: whole answer — the tool-call arguments are broken JSON, the rest intact', async () => {
    await withFaults([{ kind: 'malformed-tool-call', dependency: 'llm', turns: [0], calls: [0] }], async (_h, url) => {
      const res = await post(url('llm', '/v1/chat/completions'), liveBody(instance('i'), 0, 1), turnHeaders('i', 0));
      const answer = JSON.parse(res.text);
      const args = answer.choices[0].message.tool_calls[0].function.arguments as string;
      expect(args).toMatch(/^\{"order_id":"[A-Z]{3}-\d{5}"/);
      expect(() => JSON.parse(args)).toThrow();
    });
  });

  it('malformed-tool-call: streamed — the assembled arguments are broken JSON', async () => {
    await withFaults([{ kind: 'malformed-tool-call', dependency: 'llm', turns: [1], calls: [1] }], async (_h, url) => {
      // Call 0 of turn 1 first (the streamed text answer), so this is the recorded call 1.
      await readStream(url('llm', '/v1/chat/completions'), liveBody(instance('i'), 1, 0), turnHeaders('i', 1));
      const events = await readStream(url('llm', '/v1/chat/completions'), liveBody(instance('i'), 1, 1), turnHeaders('i', 1));
      const args = events
        .filter((e) => e.data !== '[DONE]')
        .map((e) => JSON.parse(e.data).choices[0].delta.tool_calls?.[0]?.function?.arguments ?? '')
        .join('');
      expect(args.startsWith('{"order_id":')).toBe(true);
      expect(() => JSON.parse(args)).toThrow();
    });
  });

  it('stream-stall: a pause of at least ms after n chunks, then the rest', async () => {
    await withFaults([{ kind: 'stream-stall', dependency: 'llm', turns: [1], afterChunks: 1, ms: '250ms' }], async (_h, url) => {
      const events = await readStream(url('llm', '/v1/chat/completions'), liveBody(instance('i'), 1, 0), turnHeaders('i', 1));
      expect(events).toHaveLength(4);
      expect((events[1]?.at ?? 0) - (events[0]?.at ?? 0)).toBeGreaterThanOrEqual(240);
    });
  });

  it('stream-cut: the stream ends after n chunks, without [DONE]', async () => {
    await withFaults([{ kind: 'stream-cut', dependency: 'llm', turns: [1], afterChunks: 2 }], async (h, url) => {
      const events = await readStream(url('llm', '/v1/chat/completions'), liveBody(instance('i'), 1, 0), turnHeaders('i', 1));
      expect(events).toHaveLength(2);
      expect(events.some((e) => e.data === '[DONE]')).toBe(false);
      expect((await callsAfter(h, 1))[0]?.response?.chunks).toHaveLength(2);
    });
  });

  it('retrieval fewer / empty / stale edit the documents', async () => {
    const search = async (mode: string): Promise<Array<{ updated_at: string }>> => {
      let docs: Array<{ updated_at: string }> = [];
      await withFaults([{ kind: 'retrieval', dependency: 'search', mode, ...(mode === 'fewer' ? { keep: 1 } : {}) }], async (_h, url) => {
        docs = JSON.parse((await post(url('search', '/search'), searchBody, turnHeaders('i', 0))).text).documents;
      });
      return docs;
    };
    expect(await search('fewer')).toHaveLength(1);
    expect(await search('empty')).toEqual([]);
    const stale = await search('stale');
    expect(stale).toHaveLength(3);
    stale.forEach((doc, i) => expect(Date.parse(doc.updated_at)).toBeLessThan(Date.parse(DOCS[i]?.updated_at as string) - 365 * 86_400_000));
    expect(stale[1]?.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('a control instance (faultsEnabled: false) gets no fault', async () => {
    await withFaults(
      [{ kind: 'http-error', status: 503 }],
      async (h, url) => {
        expect((await post(url('tools', '/tools/lookup_order'), lookupBody(), turnHeaders('i', 0))).status).toBe(200);
        expect((await callsAfter(h, 1))[0]?.faults).toEqual([]);
      },
      false,
    );
  });

  it('composition: latency then error, in rule order', async () => {
    await withFaults(
      [
        { kind: 'latency', dependency: 'tools', ms: 80 },
        { kind: 'http-error', dependency: 'tools', status: 503 },
      ],
      async (h, url) => {
        const start = performance.now();
        expect((await post(url('tools', '/tools/lookup_order'), lookupBody(), turnHeaders('i', 0))).status).toBe(503);
        expect(performance.now() - start).toBeGreaterThanOrEqual(75);
        expect((await callsAfter(h, 1))[0]?.faults.map((f) => f.kind)).toEqual(['latency', 'http-error']);
      },
    );
  });

  it('rejects invalid fault options, all at once', async () => {
    await expect(
      startHarness({ faults: [{ kind: 'latency', distribution: 'uniform', min: 10 }, { kind: 'reset', dependency: 'payments' }] }),
    ).rejects.toThrow(/faults\[0\] \(latency\): distribution uniform needs `max`[\s\S]*faults\[1\] \(reset\): dependency `payments` is not declared/);
  });
});
