import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeServer } from './close-server.ts';
import { searchHelpCenter } from './help-center-search.ts';
import { completionChunks, completionObject, estimateUsage } from './model-wire.ts';
import { decide, ModelRequestError } from './rule-model.ts';
import { stableHash } from './seeded-random.ts';
import { lookupAccount, lookupOrder, TicketDesk, type ServiceResponse, type Ticket } from './tools-service.ts';

/**
 * The support assistant's "production" dependencies on one HTTP server:
 *
 *   POST /v1/chat/completions   rule-based model, OpenAI wire format, streamed or not
 *   POST /tools/orders/lookup   { order_id }        → order, or 404
 *   POST /tools/accounts/lookup { email }           → account profile, or 404
 *   POST /tools/tickets         { email?, order_id?, summary } → 201 ticket
 *   POST /retrieval/search      { query, top_k }    → { documents }
 *   GET  /health
 *
 * so the app's base URLs are `url` (LLM), `url/tools` and `url/retrieval`. Latency is
 * small, realistic and deterministic (a hash of the request), scaled by `latencyScale`.
 */
export interface ProductionDepsOptions {
  /** 0 picks an ephemeral port; binds 127.0.0.1. */
  readonly port: number;
  /** Multiplies every simulated delay; 0 answers as fast as possible. Default 1. */
  readonly latencyScale?: number;
}

export interface RunningDeps {
  readonly url: string;
  /** Tickets created so far, oldest first. */
  readonly tickets: readonly Ticket[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

async function readJson(request: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return { ok: false, error: 'body too large' };
    chunks.push(chunk);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: false, error: 'body is not valid JSON' };
  }
}

function sendJson(response: ServerResponse, { status, body }: ServiceResponse): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  response.end(payload);
}

export async function startProductionDeps(options: ProductionDepsOptions): Promise<RunningDeps> {
  const scale = options.latencyScale ?? 1;
  const desk = new TicketDesk();
  const delay = (key: string, min: number, max: number): Promise<void> => {
    const ms = (min + (stableHash(key) % (max - min + 1))) * scale;
    return ms > 0 ? sleep(ms) : Promise.resolve();
  };

  async function chatCompletions(body: unknown, response: ServerResponse): Promise<void> {
    let decision;
    try {
      decision = decide(body);
    } catch (error) {
      if (!(error instanceof ModelRequestError)) throw error;
      return sendJson(response, { status: 400, body: { error: { message: error.message, type: 'invalid_request_error', param: null, code: null } } });
    }
    const request = body as { model?: unknown; stream?: unknown; stream_options?: { include_usage?: unknown } };
    const key = JSON.stringify(body);
    const meta = { id: `chatcmpl-${stableHash(key).toString(36)}${stableHash(`${key}#`).toString(36)}`, created: Math.floor(Date.now() / 1000), model: typeof request.model === 'string' ? request.model : 'rule-model-1' };
    const usage = estimateUsage(body, decision);
    if (request.stream !== true) {
      await delay(key, 25, 60);
      return sendJson(response, { status: 200, body: completionObject(decision, meta, usage) });
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    await delay(key, 15, 35); // time to first token
    const chunks = completionChunks(decision, meta, usage, request.stream_options?.include_usage === true);
    for (const [index, chunk] of chunks.entries()) {
      if (response.destroyed) return;
      if (index > 0) await delay(`${key}#${index}`, 2, 6);
      response.write(`data: ${JSON.stringify(chunk)}\n\n`);
    }
    response.end('data: [DONE]\n\n');
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://deps.invalid').pathname;
    if (request.method === 'GET' && path === '/health') return sendJson(response, { status: 200, body: { ok: true } });
    if (request.method !== 'POST') return sendJson(response, { status: 404, body: { error: 'not_found', message: `no route for ${request.method} ${path}` } });
    const parsed = await readJson(request);
    if (!parsed.ok) return sendJson(response, { status: 400, body: { error: 'bad_request', message: parsed.error } });
    const key = `${path}:${JSON.stringify(parsed.value)}`;
    switch (path) {
      case '/v1/chat/completions':
        return chatCompletions(parsed.value, response);
      case '/tools/orders/lookup':
        await delay(key, 10, 35);
        return sendJson(response, lookupOrder(parsed.value));
      case '/tools/accounts/lookup':
        await delay(key, 10, 35);
        return sendJson(response, lookupAccount(parsed.value));
      case '/tools/tickets': {
        await delay(key, 15, 40);
        const idempotencyKey = request.headers['idempotency-key'];
        return sendJson(response, desk.create(parsed.value, typeof idempotencyKey === 'string' ? idempotencyKey : undefined));
      }
      case '/retrieval/search': {
        await delay(key, 5, 20);
        const { query, top_k: topK } = (parsed.value ?? {}) as { query?: unknown; top_k?: unknown };
        if (typeof query !== 'string') return sendJson(response, { status: 400, body: { error: 'bad_request', message: '"query" must be a string' } });
        const documents = searchHelpCenter(query, typeof topK === 'number' ? Math.min(Math.max(0, Math.floor(topK)), 20) : 3).map(({ id, title, text, updated_at }) => ({ id, title, text, updated_at }));
        return sendJson(response, { status: 200, body: { documents } });
      }
      default:
        return sendJson(response, { status: 404, body: { error: 'not_found', message: `no route for POST ${path}` } });
    }
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, { status: 500, body: { error: 'internal_error', message: String(error) } });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get tickets() {
      return desk.tickets;
    },
    close: () => closeServer(server),
  };
}
