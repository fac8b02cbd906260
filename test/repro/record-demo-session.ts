/**
 * Records one real session of the demo support assistant for repro tests: the app runs against
 * its production dependencies through a capturing proxy (one base path per dependency), turns
 * are played one at a time, and every exchange is kept in the recording model.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSupportApp } from '../../examples/support-assistant/app-server.ts';
import { startProductionDeps } from '../../examples/support-assistant/deps-server.ts';
import type { Exchange, ExchangeKind, Session, Turn } from '../../src/model/index.ts';
import { parseLlmExchange } from '../../src/wire/llm.ts';

const TOOL_NAMES: Record<string, string> = { '/orders/lookup': 'lookup_order', '/accounts/lookup': 'lookup_account', '/tickets': 'create_ticket' };

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

export async function recordDemoSession(id: string, inputs: readonly string[]): Promise<Session> {
  const production = await startProductionDeps({ port: 0, latencyScale: 0 });
  let current: Exchange[] = [];
  let turnStart = 0;
  const proxy = createServer((request, response) => {
    void (async () => {
      const started = Date.now();
      const [, dependency = '', ...rest] = (request.url ?? '/').split('/');
      const path = `/${rest.join('/')}`;
      const text = await readText(request);
      const upstream = await fetch(`${production.url}${dependency === 'llm' ? '' : `/${dependency}`}${path}`, { method: request.method ?? 'POST', headers: { 'content-type': 'application/json' }, body: text });
      const answer = await upstream.text();
      const kind: ExchangeKind = dependency === 'llm' ? 'llm' : dependency === 'tools' ? 'tool' : 'retrieval';
      const body = parse(text);
      const exchange: Exchange = {
        kind,
        name: kind === 'llm' ? String((body as { model?: unknown }).model ?? 'model') : kind === 'tool' ? (TOOL_NAMES[path] ?? path) : 'search',
        dependency,
        path,
        request: { method: request.method ?? 'POST', url: `http://${dependency}.example${path}`, headers: { 'content-type': 'application/json' }, body },
        response: { status: upstream.status, headers: { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }, body: parse(answer) },
        startOffsetMs: started - turnStart,
        durationMs: Date.now() - started,
      };
      const llm = kind === 'llm' ? parseLlmExchange(exchange.request, exchange.response) : undefined;
      current.push(llm ? { ...exchange, llm } : exchange);
      response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      response.end(answer);
    })();
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const app = await startSupportApp({ port: 0, llmBaseUrl: `${base}/llm`, toolsBaseUrl: `${base}/tools`, retrievalBaseUrl: `${base}/retrieval`, defects: new Set() });
  const turns: Turn[] = [];
  try {
    for (const [index, input] of inputs.entries()) {
      current = [];
      turnStart = Date.now();
      const reply = await fetch(`${app.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session_id: id, message: input }) });
      const body = (await reply.json()) as { reply: string; triage: unknown };
      turns.push({ index, offsetMs: index * 5000, input: { text: input }, output: { status: reply.status, text: body.reply, structured: body.triage, latencyMs: Date.now() - turnStart }, exchanges: current.sort((a, b) => a.startOffsetMs - b.startOffsetMs) });
    }
  } finally {
    await app.close();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    await production.close();
  }
  return { id, startedAt: '2026-01-05T10:00:00.000Z', segment: { language: 'en', channel: 'web' }, identities: [], turns };
}
