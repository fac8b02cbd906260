import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SupportAssistant, type TurnInput } from './assistant-turn.ts';
import { renderChatPage } from './chat-page.ts';
import { closeServer } from './close-server.ts';
import { ConversationStore } from './conversation-store.ts';
import type { DefectName } from './defects.ts';
import { LlmClient } from './llm-client.ts';
import { RetrievalClient } from './retrieval-client.ts';
import { SupportTools } from './support-tools.ts';
import { contextFromHeaders, runInTurnContext } from './trace-context.ts';

export interface SupportAppOptions {
  /** 0 picks an ephemeral port. The app always binds 127.0.0.1. */
  readonly port: number;
  /** Base of the OpenAI-compatible API; the app posts to `${llmBaseUrl}/v1/chat/completions`. */
  readonly llmBaseUrl: string;
  /** The app posts to `${toolsBaseUrl}/orders/lookup`, `/accounts/lookup` and `/tickets`. */
  readonly toolsBaseUrl: string;
  /** The app posts to `${retrievalBaseUrl}/search`. */
  readonly retrievalBaseUrl: string;
  readonly defects: ReadonlySet<DefectName>;
  readonly model?: string;
  /** Sent as `Authorization: Bearer …` to the LLM when set. */
  readonly llmApiKey?: string;
  /** Operational log lines (dependency failures); silent by default. */
  readonly log?: (line: string) => void;
}

export interface RunningApp {
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

class BadRequest extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function readTurn(request: IncomingMessage): Promise<TurnInput> {
  if (!(request.headers['content-type'] ?? '').includes('application/json')) throw new BadRequest(415, 'expected content-type: application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(413, `body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequest(400, 'body is not valid JSON');
  }
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof fields.session_id !== 'string' || fields.session_id.trim() === '') throw new BadRequest(400, '"session_id" must be a non-empty string');
  if (typeof fields.message !== 'string' || fields.message.trim() === '') throw new BadRequest(400, '"message" must be a non-empty string');
  if (fields.channel !== undefined && typeof fields.channel !== 'string') throw new BadRequest(400, '"channel" must be a string when present');
  return { sessionId: fields.session_id, message: fields.message, channel: (fields.channel as string | undefined) ?? 'web' };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  response.end(payload);
}

function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Starts the support assistant on 127.0.0.1. Routes: `GET /health`, `GET /` (chat page),
 * `POST /api/chat`, `POST /api/chat/stream` (SSE: `delta` events, then `final`).
 */
export async function startSupportApp(options: SupportAppOptions): Promise<RunningApp> {
  const log = options.log ?? (() => {});
  const assistant = new SupportAssistant({
    llm: new LlmClient({ baseUrl: options.llmBaseUrl, model: options.model ?? 'gpt-4o-mini', apiKey: options.llmApiKey }),
    tools: new SupportTools(options.toolsBaseUrl, options.defects),
    retrieval: new RetrievalClient(options.retrievalBaseUrl, options.defects, log),
    store: new ConversationStore(),
    defects: options.defects,
    log,
  });

  async function chat(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const turn = await readTurn(request);
    sendJson(response, 200, await assistant.handleTurn(turn));
  }

  async function chatStream(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const turn = await readTurn(request);
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    response.flushHeaders();
    try {
      const result = await assistant.handleTurn(turn, (text) => {
        if (!response.destroyed) response.write(sseEvent('delta', { text }));
      });
      response.end(sseEvent('final', result));
    } catch (error) {
      log(`stream: ${error instanceof Error ? error.stack : String(error)}`);
      response.end(sseEvent('error', { error: 'internal_error' }));
    }
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://app.invalid').pathname;
    const method = request.method ?? 'GET';
    if (path === '/health' && method === 'GET') return sendJson(response, 200, { ok: true });
    if (path === '/' && method === 'GET') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(renderChatPage());
      return;
    }
    if (path === '/api/chat' && method === 'POST') return chat(request, response);
    if (path === '/api/chat/stream' && method === 'POST') return chatStream(request, response);
    if (['/health', '/', '/api/chat', '/api/chat/stream'].includes(path)) return sendJson(response, 405, { error: `method ${method} not allowed on ${path}` });
    return sendJson(response, 404, { error: `no route for ${method} ${path}` });
  }

  const server = createServer((request, response) => {
    runInTurnContext(contextFromHeaders(request.headers), () => {
      route(request, response).catch((error: unknown) => {
        if (error instanceof BadRequest) {
          if (!response.headersSent) sendJson(response, error.status, { error: error.message });
          else response.end();
          return;
        }
        log(`unhandled: ${error instanceof Error ? error.stack : String(error)}`);
        if (!response.headersSent) sendJson(response, 500, { error: 'internal_error' });
        else response.end();
      });
    });
  });
  server.keepAliveTimeout = 5_000;

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
    close: () => closeServer(server),
  };
}
