import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { startSupportApp, type RunningApp } from '../../../examples/support-assistant/app-server.ts';
import { closeServer } from '../../../examples/support-assistant/close-server.ts';
import type { DefectName } from '../../../examples/support-assistant/defects.ts';
import { startProductionDeps, type RunningDeps } from '../../../examples/support-assistant/deps-server.ts';
import { readSse } from '../../../examples/support-assistant/sse-reader.ts';

/** One request the app made to its dependencies, as the test dependency server saw it. */
export interface ObservedCall {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: any;
  readonly startedAt: number;
}

/**
 * Replaces the production answer to one call: `status` + `body` answer instead of it,
 * `delayMs` alone delays the production answer, both delay the canned one.
 */
export interface FaultResponse {
  readonly status?: number;
  readonly body?: unknown;
  readonly delayMs?: number;
  readonly headers?: Record<string, string>;
}

export type Fault = (call: ObservedCall) => FaultResponse | undefined;

/**
 * A recording proxy in front of the production dependencies: it keeps every call the app
 * makes (path, headers, JSON body) and lets a test replace answers with faults or delays.
 */
export interface ObservedDeps {
  readonly url: string;
  readonly calls: ObservedCall[];
  readonly production: RunningDeps;
  fault: Fault | undefined;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startObservedDeps(options: { fault?: Fault; latencyScale?: number } = {}): Promise<ObservedDeps> {
  const production = await startProductionDeps({ port: 0, latencyScale: options.latencyScale ?? 1 });
  const calls: ObservedCall[] = [];
  const pending = new Set<NodeJS.Timeout>();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    const call: ObservedCall = { path: new URL(request.url ?? '/', 'http://x').pathname, headers, body, startedAt: Date.now() };
    calls.push(call);
    const fault = observed.fault?.(call);
    if (fault?.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(timer);
          resolve();
        }, fault.delayMs);
        pending.add(timer);
      });
      if (response.destroyed) return;
    }
    if (fault?.status !== undefined) {
      response.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      response.end(JSON.stringify(fault.body ?? {}));
      return;
    }
    const forwarded = await fetch(`${production.url}${request.url}`, {
      method: request.method ?? 'POST',
      headers: { 'content-type': 'application/json', ...(headers['idempotency-key'] ? { 'idempotency-key': headers['idempotency-key'] } : {}) },
      body: request.method === 'GET' ? undefined : text,
    });
    response.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? 'application/json' });
    if (forwarded.body) Readable.fromWeb(forwarded.body as import('node:stream/web').ReadableStream).pipe(response);
    else response.end();
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const observed: ObservedDeps = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    production,
    fault: options.fault,
    async close() {
      for (const timer of pending) clearTimeout(timer);
      await closeServer(server, 200);
      await production.close();
    },
  };
  return observed;
}

export interface Stack {
  readonly app: RunningApp;
  readonly deps: ObservedDeps;
  chat(sessionId: string, message: string, headers?: Record<string, string>): Promise<ChatReply>;
  close(): Promise<void>;
}

export interface ChatReply {
  readonly session_id: string;
  readonly reply: string;
  readonly triage: Record<string, unknown>;
}

/** The app wired to an observed copy of its production dependencies. */
export async function startStack(defects: Iterable<DefectName> = [], options: { fault?: Fault; latencyScale?: number } = {}): Promise<Stack> {
  const deps = await startObservedDeps(options);
  const app = await startSupportApp({
    port: 0,
    llmBaseUrl: deps.url,
    toolsBaseUrl: `${deps.url}/tools`,
    retrievalBaseUrl: `${deps.url}/retrieval`,
    defects: new Set(defects),
  });
  return {
    app,
    deps,
    async chat(sessionId, message, headers = {}) {
      const response = await fetch(`${app.url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ session_id: sessionId, message }),
      });
      if (response.status !== 200) throw new Error(`chat answered HTTP ${response.status}: ${await response.text()}`);
      return (await response.json()) as ChatReply;
    },
    async close() {
      await app.close();
      await deps.close();
    },
  };
}

/** Posts to /api/chat/stream and collects the SSE events. */
export async function chatStream(appUrl: string, sessionId: string, message: string, headers: Record<string, string> = {}): Promise<Array<{ event: string; data: any }>> {
  const response = await fetch(`${appUrl}/api/chat/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ session_id: sessionId, message }),
  });
  if (response.status !== 200 || !response.body) throw new Error(`stream answered HTTP ${response.status}`);
  const events: Array<{ event: string; data: any }> = [];
  for await (const event of readSse(response.body)) events.push({ event: event.event, data: JSON.parse(event.data) });
  return events;
}

/** The LLM requests observed, in order (excluding triage calls unless asked). */
export function llmRequests(calls: readonly ObservedCall[], options: { triage?: boolean } = {}): ObservedCall[] {
  return calls.filter((call) => call.path === '/v1/chat/completions' && (options.triage === true || call.body?.response_format === undefined));
}
