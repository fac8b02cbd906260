/**
 * A small AI app and its dependencies on loopback, for recorder tests: an OpenAI-compatible
 * LLM (streamed or not), a tool service and a retrieval service, and a chat app that calls
 * all three for each turn and replies in JSON or as SSE relayed delta by delta.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeNow, listenOnLoopback } from '../../src/util/loopback.ts';

export interface Running {
  url: string;
  close(): Promise<void>;
}

/** Seeded secrets and PII: none of these may appear in a recording's bytes. */
export const SECRET_API_KEY = 'sk-live-7f3a9c2e1b5d4f8a0c6e2b9d';
export const CUSTOMER_EMAIL = 'maria.keller@northwind-mail.de';

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>): Promise<Running> {
  const server: Server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  });
  return { url: await listenOnLoopback(server), close: () => closeNow(server) };
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** OpenAI chat completions; streams `words` one per `gapMs` when `stream: true`. */
export function startLlm(gapMs = 20): Promise<Running> {
  return listen(async (req, res) => {
    const body = await readJson(req);
    const messages = body.messages as Array<{ role: string; content: string }>;
    const last = messages.at(-1)?.content ?? '';
    const words = ['You', ' asked', ' about', ` "${last.slice(0, 20)}"`, '.'];
    if (body.stream === true) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const w of words) {
        res.write(`data: ${JSON.stringify({ object: 'chat.completion.chunk', model: 'gpt-test', choices: [{ index: 0, delta: { content: w } }] })}\n\n`);
        await delay(gapMs);
      }
      res.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 20, completion_tokens: 5 } })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        object: 'chat.completion',
        model: 'gpt-test',
        choices: [{ index: 0, message: { role: 'assistant', content: words.join('') } }],
        usage: { prompt_tokens: 20, completion_tokens: 5 },
      }),
    );
  });
}

export function startTools(): Promise<Running> {
  return listen(async (req, res) => {
    const body = await readJson(req);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ order: body.order_id, status: 'shipped', contact: CUSTOMER_EMAIL }));
  });
}

export function startRetrieval(): Promise<Running> {
  return listen(async (req, res) => {
    const body = await readJson(req);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ index: body.index, documents: [{ id: 'kb-7', text: `About ${String(body.query).slice(0, 10)}` }] }));
  });
}

export interface AppOptions {
  deps: { llm: string; tools: string; retrieval: string };
  /** Copy the inbound `traceparent` onto dependency calls, as an instrumented app does. */
  propagate: boolean;
  /** How the tool is called: global fetch (undici) or node:http. */
  toolClient?: 'fetch' | 'http';
  /** Awaited after reading a turn's request, before any dependency call (tests hold turns in flight with it). */
  beforeDeps?: () => Promise<void>;
}

function postHttp(url: string, body: unknown, headers: Record<string, string>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(parts).toString('utf8'))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/**
 * The app: POST /chat `{session_id, message, stream?}`. For each turn: retrieval, the tool
 * when the message mentions an order, then the LLM with the session's history.
 */
export function createAppHandler(options: AppOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const history = new Map<string, Array<{ role: string; content: string }>>();
  return async (req, res) => {
    if (req.url !== '/chat') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    const body = await readJson(req);
    const session = String(body.session_id);
    const message = String(body.message);
    await options.beforeDeps?.();
    const trace: Record<string, string> = {};
    if (options.propagate && typeof req.headers.traceparent === 'string') trace.traceparent = req.headers.traceparent;
    const post = async (url: string, payload: unknown, extra: Record<string, string> = {}) => {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...trace, ...extra }, body: JSON.stringify(payload) });
      return r;
    };
    const docs = (await (await post(`${options.deps.retrieval}/search`, { index: 'kb', query: message })).json()) as { documents: unknown[] };
    const turns = history.get(session) ?? [];
    history.set(session, turns);
    let toolNote = '';
    const order = /order (\w+)/.exec(message)?.[1];
    if (order) {
      const payload = { order_id: order };
      const result =
        options.toolClient === 'http'
          ? await postHttp(`${options.deps.tools}/lookup_order`, payload, trace)
          : await (await post(`${options.deps.tools}/lookup_order`, payload)).json();
      toolNote = JSON.stringify(result);
    }
    turns.push({ role: 'user', content: message });
    const llmBody = {
      model: 'gpt-test',
      stream: body.stream === true,
      messages: [{ role: 'system', content: `Docs: ${JSON.stringify(docs.documents)} ${toolNote}` }, ...turns],
    };
    const llm = await post(`${options.deps.llm}/v1/chat/completions`, llmBody, { authorization: `Bearer ${SECRET_API_KEY}` });
    if (body.stream === true) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let text = '';
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of llm.body as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let at: number;
        while ((at = buffer.indexOf('\n\n')) !== -1) {
          const data = buffer.slice(0, at).replace(/^data: /, '');
          buffer = buffer.slice(at + 2);
          if (data === '[DONE]') continue;
          const delta = (JSON.parse(data) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content;
          if (delta) {
            text += delta;
            res.write(`data: ${JSON.stringify({ delta })}\n\n`);
          }
        }
      }
      turns.push({ role: 'assistant', content: text });
      res.end();
      return;
    }
    const completion = (await llm.json()) as { choices: Array<{ message: { content: string } }> };
    const reply = completion.choices[0]?.message.content ?? '';
    turns.push({ role: 'assistant', content: reply });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ reply }));
  };
}

export function startApp(options: AppOptions): Promise<Running> {
  return listen(createAppHandler(options));
}
