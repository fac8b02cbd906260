/**
 * `rehearse record` as a library: an HTTP server in front of the app. `/<path>` goes to the
 * app (each request naming a session is a turn); `/_deps/<name>/<path>` goes to dependency
 * `<name>` (the app's base URL for it points here) and is recorded as an exchange.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { HarnessError } from '../../errors.ts';
import type { TurnOutput } from '../../model/index.ts';
import { decodeBody, type CapturedCall } from '../captured-call.ts';
import { newTraceparent, traceIdOf } from '../propagation.ts';
import { RecorderCore, type InboundView, type RecorderConfig } from '../recorder-core.ts';
import type { RecorderStats } from '../recorder-stats.ts';
import { replyOf } from '../reply.ts';
import { endToEndHeaders, forward } from './forward.ts';

export interface ProxyRecorderOptions extends RecorderConfig {
  /** Where to listen; port 0 picks a free one. */
  listen: { host: string; port: number };
  /** The app's base URL. */
  upstream: string;
  /** Dependency name → base URL. */
  deps: Record<string, string>;
}

export interface ProxyRecorder {
  /** `http://host:port` the proxy listens on. */
  readonly url: string;
  stats(): RecorderStats;
  /** Stops accepting, waits for in-flight requests (up to `graceMs`), flushes sessions, finishes the archive. */
  close(graceMs?: number): Promise<RecorderStats>;
}

interface Target {
  origin: string;
  basePath: string;
}

function target(url: string, what: string): Target {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HarnessError('USAGE', `${what} ${JSON.stringify(url)} is not a URL`, { hint: 'e.g. http://127.0.0.1:3000' });
  }
  return { origin: parsed.origin, basePath: parsed.pathname.replace(/\/$/, '') };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

export async function startProxyRecorder(options: ProxyRecorderOptions): Promise<ProxyRecorder> {
  const app = target(options.upstream, '--upstream');
  const deps = new Map(Object.entries(options.deps).map(([name, url]) => [name, target(url, `--dep ${name}`)]));
  const core = new RecorderCore(options);
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 256 });
  const inFlight = new Set<Promise<void>>();
  const now = () => core.now();

  async function onTurn(req: IncomingMessage, res: ServerResponse, body: Buffer, startedAt: number): Promise<void> {
    const url = req.url ?? '/';
    const view: InboundView = { method: req.method ?? 'GET', url, headers: req.headers, body: decodeBody(body, req.headers) };
    const headers = endToEndHeaders(req.headers);
    // Give the turn a trace the app can propagate to its dependency calls, unless it has one.
    let traceId = traceIdOf(String(req.headers.traceparent ?? ""));
    if (!traceId) {
      const traceparent = newTraceparent();
      headers.traceparent = traceparent;
      traceId = traceIdOf(traceparent);
    }
    const turn = core.beginTurn(view, traceId);
    const isTurn = turn !== undefined && core.assignSession(turn, view);
    if (turn && !isTurn) core.abandonTurn(turn);
    const result = await forward(
      { dispatcher, origin: app.origin, path: app.basePath + url, method: view.method, headers, body, origin0: startedAt, now },
      res,
    );
    if (!turn || !isTurn) return;
    const reply = replyOf(url, result.headers, result.body, result.chunks, options.replyFrom, options.structuredFrom);
    const output: TurnOutput = { status: result.status, text: reply.text, latencyMs: Math.max(0, core.now() - startedAt) };
    if (reply.structured !== undefined) output.structured = reply.structured;
    if (result.chunks && result.firstByteAt !== undefined) output.ttftMs = Math.max(0, result.firstByteAt - startedAt);
    if (result.error) output.error = `${result.error.code}: ${result.error.message}`;
    core.endTurn(turn, { ...view, rawBody: body }, output);
  }

  async function onDep(req: IncomingMessage, res: ServerResponse, body: Buffer, startedAt: number, name: string, rest: string): Promise<void> {
    const dep = deps.get(name);
    if (!dep) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `rehearse record: no dependency named ${JSON.stringify(name)}; pass --dep ${name}=<url>` }));
      return;
    }
    const owner = core.attributeCall(req.headers);
    const path = dep.basePath + rest;
    const result = await forward(
      { dispatcher, origin: dep.origin, path, method: req.method ?? 'GET', headers: endToEndHeaders(req.headers), body, origin0: startedAt, now },
      res,
    );
    const call: CapturedCall = {
      dependency: name,
      path: rest,
      method: req.method ?? 'GET',
      url: dep.origin + path,
      requestHeaders: req.headers,
      requestBody: body,
      startedAt,
      endedAt: core.now(),
      response: { status: result.status, headers: result.headers, ...(result.chunks ? { chunks: result.chunks } : { body: result.body ?? Buffer.alloc(0) }) },
    };
    if (result.error) call.error = result.error;
    core.recordCall(call, owner);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = core.now();
    const body = await readBody(req);
    const m = /^\/_deps\/([^/?]+)(.*)$/.exec(req.url ?? '/');
    if (m) await onDep(req, res, body, startedAt, decodeURIComponent(m[1] as string), m[2] || '/');
    else await onTurn(req, res, body, startedAt);
  }

  const server: Server = createServer((req, res) => {
    const done = handle(req, res)
      .catch(() => {
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(new HarnessError('RECORD', `cannot listen on ${options.listen.host}:${options.listen.port}: ${err.message}`, { hint: 'pick a free port with --listen host:port', cause: err })),
    );
    server.listen(options.listen.port, options.listen.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    stats: () => core.stats(),
    async close(graceMs = 5000) {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([Promise.all([...inFlight]), grace]);
      server.closeAllConnections();
      await stopped;
      const stats = await core.close();
      await dispatcher.close();
      return stats;
    },
  };
}
