import { describe, expect, it } from 'vitest';
import { emptyReport } from '../../src/import/importer.ts';
import { otlpImporter } from '../../src/import/otlp.ts';
import type { Session } from '../../src/model/index.ts';

import { otlpExport } from './otlp-fixture.ts';

async function all(it: AsyncIterable<Session>): Promise<Session[]> {
  const out: Session[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('OTLP GenAI importer', () => {
  it('builds sessions per conversation, turns per trace, exchanges from GenAI spans', async () => {
    const report = emptyReport();
    const sessions = await all(otlpImporter.import(JSON.stringify(otlpExport()), { defaultSessionId: 'traces.json' }, report));
    expect(sessions.map((x) => [x.id, x.turns.length])).toEqual([['conv-1', 2], ['conv-2', 1]]);
    expect(report.skipped).toBe(1);
    const [t0, t1] = (sessions[0] as Session).turns as [Session['turns'][0], Session['turns'][0]];
    expect(t0.input.text).toBe('Where is order 42?');
    expect(t0.output).toMatchObject({ status: 200, text: 'Order 42 is running late.', latencyMs: 900 });
    expect(t0.exchanges.map((e) => [e.kind, e.name, e.startOffsetMs])).toEqual([
      ['retrieval', 'kb', 10], ['llm', 'gpt-4o', 70], ['tool', 'lookup_order', 310], ['llm', 'gpt-4o', 410],
    ]);
    const firstLlm = t0.exchanges[1];
    expect(firstLlm?.llm?.messages[0]).toEqual({ role: 'system', content: 'Be kind.' });
    expect(firstLlm?.llm?.output[0]?.toolCalls).toEqual([{ id: 'call_1', name: 'lookup_order', arguments: '{"id":42}' }]);
    expect(firstLlm?.llm?.usage).toEqual({ inputTokens: 50, outputTokens: 9 });
    expect(t0.exchanges[3]?.llm?.messages.find((m) => m.role === 'tool')).toEqual({ role: 'tool', content: '{"status":"late"}', toolCallId: 'call_1' });
    expect(t0.exchanges[2]?.request.body).toEqual({ id: 42 });
    expect(t0.exchanges[2]?.response?.body).toEqual({ status: 'late' });
    expect(t1).toMatchObject({ offsetMs: 5000, input: { text: 'Thanks!' }, output: { text: 'You are welcome.' } });
  });

  it('reads JSON lines (the collector file exporter) too', async () => {
    const line = JSON.stringify(otlpExport());
    const sessions = await all(otlpImporter.import(`${line}\n${line}\n`, { defaultSessionId: 'x' }, emptyReport()));
    expect(sessions.map((x) => x.id)).toEqual(['conv-1', 'conv-2']);
  });
});
