/**
 * HAR 1.2 (browser devtools, Playwright `recordHar`, proxies) → sessions. Entries under a
 * `--dep` base are exchanges; other non-GET entries (or any entry `--session-from` names a
 * session for) are turns. An exchange belongs to the turn whose time window holds its start —
 * only when exactly one does; otherwise it is counted unattributed.
 */
import { HarnessError } from '../errors.ts';
import type { Session, Turn, TurnOutput } from '../model/index.ts';
import { toExchange, type CapturedCall } from '../record/captured-call.ts';
import { DependencyMap } from '../record/in-process/dependency-map.ts';
import { replyOf } from '../record/reply.ts';
import { decodeBody, safeHeaders, isStreamingType } from '../record/captured-call.ts';
import type { Importer, ImportOptions, ImportReport } from './importer.ts';

interface HarHeader {
  name: string;
  value: string;
}
interface HarEntry {
  startedDateTime: string;
  time?: number;
  request: { method: string; url: string; headers?: HarHeader[]; postData?: { mimeType?: string; text?: string } };
  response: { status: number; headers?: HarHeader[]; content?: { mimeType?: string; text?: string; encoding?: string } };
  timings?: { wait?: number; send?: number; blocked?: number; dns?: number; connect?: number };
}

function headerRecord(headers: HarHeader[] | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const h of headers ?? []) {
    const name = h.name.toLowerCase();
    if (name.startsWith(':')) continue; // HTTP/2 pseudo-headers
    const prev = out[name];
    out[name] = prev === undefined ? h.value : Array.isArray(prev) ? [...prev, h.value] : [prev, h.value];
  }
  return out;
}

function responseBody(entry: HarEntry): Buffer {
  const content = entry.response.content;
  if (!content?.text) return Buffer.alloc(0);
  return Buffer.from(content.text, content.encoding === 'base64' ? 'base64' : 'utf8');
}

function pathAndQuery(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

interface TurnDraft {
  session: string;
  start: number;
  end: number;
  entry: HarEntry;
  calls: CapturedCall[];
}

function parseHar(text: string): HarEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new HarnessError('SCHEMA', `not a HAR file: ${(err as Error).message}`, { hint: 'export the HAR as JSON (devtools "Save all as HAR", or Playwright recordHar)', cause: err });
  }
  const entries = (doc as { log?: { entries?: unknown } }).log?.entries;
  if (!Array.isArray(entries)) throw new HarnessError('SCHEMA', 'not a HAR file: no log.entries array', { hint: 'a HAR file is {"log": {"entries": [...]}}' });
  return entries as HarEntry[];
}

export const harImporter: Importer = {
  format: 'har',
  async *import(text: string, options: ImportOptions, report: ImportReport): AsyncIterable<Session> {
    const deps = new DependencyMap(options.deps ?? {});
    const entries = parseHar(text)
      .filter((e) => e?.request?.url && e.response && !Number.isNaN(Date.parse(e.startedDateTime)))
      .sort((a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime));
    const turns: TurnDraft[] = [];
    const calls: Array<{ start: number; call: CapturedCall }> = [];
    for (const entry of entries) {
      const start = Date.parse(entry.startedDateTime);
      const end = start + Math.max(0, entry.time ?? 0);
      const route = deps.route(entry.request.url);
      const requestHeaders = headerRecord(entry.request.headers);
      const requestBody = Buffer.from(entry.request.postData?.text ?? '', 'utf8');
      if (route.configured) {
        const headers = headerRecord(entry.response.headers);
        const body = responseBody(entry);
        const firstByte = (entry.timings?.blocked ?? 0) + (entry.timings?.dns ?? 0) + (entry.timings?.connect ?? 0) + (entry.timings?.send ?? 0) + (entry.timings?.wait ?? 0);
        const call: CapturedCall = {
          dependency: route.dependency,
          path: route.path,
          method: entry.request.method,
          url: entry.request.url,
          requestHeaders,
          requestBody,
          startedAt: start,
          endedAt: end,
          // A HAR keeps a stream as one text: one chunk at the time of the first byte.
          response: isStreamingType(headers)
            ? { status: entry.response.status, headers, chunks: [{ offsetMs: Math.max(0, firstByte), data: body.toString('utf8') }] }
            : { status: entry.response.status, headers, body },
        };
        calls.push({ start, call });
        continue;
      }
      const view = { url: pathAndQuery(entry.request.url), headers: requestHeaders, body: decodeBody(requestBody, requestHeaders) };
      const named = options.sessionFrom?.read(view);
      if (named === undefined && (options.sessionFrom || entry.request.method === 'GET')) {
        report.skipped++;
        continue;
      }
      turns.push({ session: named ?? options.defaultSessionId, start, end, entry, calls: [] });
    }
    for (const { start, call } of calls) {
      const owners = turns.filter((t) => t.start <= start && start <= t.end);
      if (owners.length === 1) (owners[0] as TurnDraft).calls.push(call);
      else report.unattributed++;
    }
    const bySession = new Map<string, TurnDraft[]>();
    for (const t of turns) bySession.set(t.session, [...(bySession.get(t.session) ?? []), t]);
    for (const [id, drafts] of bySession) {
      const first = drafts[0] as TurnDraft;
      yield {
        id,
        startedAt: new Date(first.start).toISOString(),
        segment: { source: 'har' },
        identities: [],
        turns: drafts.map((t, index) => toTurn(t, index, first.start, options)),
      };
    }
  },
};

function toTurn(t: TurnDraft, index: number, sessionStart: number, options: ImportOptions): Turn {
  const { request, response } = t.entry;
  const requestHeaders = headerRecord(request.headers);
  const rawBody = Buffer.from(request.postData?.text ?? '', 'utf8');
  const body = decodeBody(rawBody, requestHeaders);
  const url = pathAndQuery(request.url);
  const responseHeaders = headerRecord(response.headers);
  const streamed = isStreamingType(responseHeaders);
  const replyBody = responseBody(t.entry);
  const reply = replyOf(url, responseHeaders, streamed ? undefined : replyBody, streamed ? [{ offsetMs: 0, data: replyBody.toString('utf8') }] : undefined, options.replyFrom);
  const output: TurnOutput = { status: response.status, text: reply.text, latencyMs: t.end - t.start };
  if (reply.structured !== undefined) output.structured = reply.structured;
  if (streamed && t.entry.timings?.wait !== undefined) output.ttftMs = t.entry.timings.wait;
  const inputText = options.inputFrom?.read({ url, headers: requestHeaders, body }) ?? (typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body));
  const recorded = { method: request.method, url, headers: safeHeaders(requestHeaders), ...(body !== undefined ? { body } : {}) };
  return {
    index,
    offsetMs: t.start - sessionStart,
    input: { text: inputText, request: recorded },
    output,
    exchanges: t.calls.map((c) => toExchange(c, t.start, { overrides: new Map() })).sort((a, b) => a.startOffsetMs - b.startOffsetMs),
  };
}
