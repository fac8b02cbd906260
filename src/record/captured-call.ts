/**
 * A dependency call as a capture layer (proxy, undici channels, http interceptor) observed it,
 * and its conversion into the model's `Exchange`: safe headers, decoded bodies, kind and name.
 */
import { exchangeName, type Exchange, type ExchangeError, type ExchangeKind, type HeaderMap, type RecordedRequest, type RecordedResponse, type StreamChunk } from '../model/index.ts';
import { CREDENTIAL_HEADER, HOP_BY_HOP_HEADERS } from '../wire/headers.ts';
import { detectLlmFormat, parseLlmExchange } from '../wire/llm.ts';

export interface CapturedCall {
  dependency: string;
  /** Path + query relative to the dependency base URL. */
  path: string;
  method: string;
  /** Full URL as the app called it. */
  url: string;
  requestHeaders: Record<string, string | string[] | undefined>;
  requestBody: Buffer;
  /** Monotonic ms. */
  startedAt: number;
  endedAt: number;
  response?: {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    /** Whole body when not streamed. */
    body?: Buffer;
    /** Streamed chunks, `offsetMs` from the call's start. */
    chunks?: StreamChunk[];
  };
  error?: ExchangeError;
}

/**
 * Headers as recorded: lower-case names, single values; credentials dropped (the anonymizer
 * drops them too, dropping at capture keeps them out of memory queues) and connection-level
 * headers, meaningless in a recording.
 */
export function safeHeaders(headers: Record<string, string | string[] | undefined>): HeaderMap {
  const out: HeaderMap = {};
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (value === undefined || CREDENTIAL_HEADER.test(name) || HOP_BY_HOP_HEADERS.has(name) || name === 'content-length' || name === 'host') continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function contentType(headers: Record<string, string | string[] | undefined>): string {
  const v = headers['content-type'];
  return (Array.isArray(v) ? v[0] : v)?.toLowerCase() ?? '';
}

/** True when a response is streamed (SSE or NDJSON) and should be recorded as chunks. */
export function isStreamingType(headers: Record<string, string | string[] | undefined>): boolean {
  const type = contentType(headers);
  return type.startsWith('text/event-stream') || type.startsWith('application/x-ndjson');
}

/** JSON value when the body is JSON (by type or by content), the text otherwise, undefined when empty. */
export function decodeBody(body: Buffer, headers: Record<string, string | string[] | undefined>): unknown {
  if (body.length === 0) return undefined;
  const text = body.toString('utf8');
  const type = contentType(headers);
  if (type.includes('json') || type === '' || type.startsWith('text/plain')) {
    try {
      return JSON.parse(text);
    } catch {
      // Not JSON after all: kept as text.
    }
  }
  return text;
}

export interface KindRules {
  /** `--kind name=llm|tool|retrieval|http` per dependency. */
  overrides: ReadonlyMap<string, ExchangeKind>;
}

/** Dependency names that say what they are, when no override and no LLM wire format decides. */
function kindByName(dependency: string): ExchangeKind {
  if (/tool|action|function/i.test(dependency)) return 'tool';
  if (/retriev|search|rag|vector|index|kb|knowledge/i.test(dependency)) return 'retrieval';
  return 'http';
}

/** Converts a captured call into an exchange, `startOffsetMs` relative to its turn's start. */
export function toExchange(call: CapturedCall, turnStartedAt: number, rules: KindRules): Exchange {
  const request: RecordedRequest = { method: call.method, url: call.url, headers: safeHeaders(call.requestHeaders) };
  const reqBody = decodeBody(call.requestBody, call.requestHeaders);
  if (reqBody !== undefined) request.body = reqBody;
  let response: RecordedResponse | undefined;
  if (call.response) {
    response = { status: call.response.status, headers: safeHeaders(call.response.headers) };
    if (call.response.chunks) response.chunks = call.response.chunks;
    else if (call.response.body) {
      const body = decodeBody(call.response.body, call.response.headers);
      if (body !== undefined) response.body = body;
    }
  }
  const format = detectLlmFormat(request);
  const kind = rules.overrides.get(call.dependency) ?? (format ? 'llm' : kindByName(call.dependency));
  const llm = kind === 'llm' ? parseLlmExchange(request, response) : undefined;
  const exchange: Exchange = {
    kind,
    name: exchangeName({ kind, dependency: call.dependency, path: call.path, body: reqBody, model: llm?.model }),
    dependency: call.dependency,
    path: call.path,
    request,
    startOffsetMs: Math.max(0, call.startedAt - turnStartedAt),
    durationMs: Math.max(0, call.endedAt - call.startedAt),
  };
  if (response) exchange.response = response;
  if (call.error) exchange.error = call.error;
  else if (call.response && call.response.status >= 500) exchange.error = { code: `http_${call.response.status}`, message: `HTTP ${call.response.status}` };
  if (llm) exchange.llm = llm;
  return exchange;
}
