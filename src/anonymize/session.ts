import type { Exchange, HeaderMap, Identity, LlmMessage, RecordedRequest, Session } from '../model/index.ts';
import { UNRECORDED_HEADER } from './fields.ts';
import type { Redactor } from './redactor.ts';
import { isSurrogate } from './surrogates.ts';
import { redactChunks } from './stream-chunks.ts';

/**
 * Anonymizes every text a session carries: segment values, inputs (and the inbound request),
 * replies (text and structured), each exchange's URL, path, headers (credential headers
 * dropped by name, always), bodies, stream chunks (one by one, boundaries and offsets kept,
 * then values split across chunks),
 * errors and parsed LLM conversation. A pre-pass over the conversation learns the names it
 * mentions, so a name given in turn 3 is also replaced where turn 1 used it bare.
 */
export function anonymizeSessionWith(redactor: Redactor, raw: Session): Session {
  for (const turn of raw.turns) {
    redactor.learnNames(turn.input.text);
    redactor.learnNames(turn.output.text);
  }
  const { result, identities } = redactor.collect(() => ({
    ...raw,
    segment: Object.fromEntries(Object.entries(raw.segment).map(([k, v]) => [k, redactor.redactText(v)])),
    turns: raw.turns.map((turn) => ({
      ...turn,
      input: {
        text: redactor.redactText(turn.input.text),
        ...(turn.input.request ? { request: redactRequest(redactor, turn.input.request) } : {}),
      },
      output: {
        ...turn.output,
        text: redactor.redactText(turn.output.text),
        ...(turn.output.structured !== undefined ? { structured: redactor.redactValue(turn.output.structured) } : {}),
        ...(turn.output.error !== undefined ? { error: redactor.redactText(turn.output.error) } : {}),
      },
      exchanges: turn.exchanges.map((ex) => redactExchange(redactor, ex)),
    })),
  }));
  const merged = new Map<string, Identity>();
  // A raw session's own table is trusted only where it lists recognisable surrogates.
  const kept = raw.identities.filter((id) => !id.type.startsWith('custom:') && isSurrogate(id.type, id.surrogate));
  for (const id of [...kept, ...identities]) merged.set(`${id.type}\u0000${id.surrogate}`, id);
  // Redaction only swaps strings for strings, so the session keeps its (validated) shape.
  return { ...result, identities: [...merged.values()] };
}

function redactExchange(r: Redactor, ex: Exchange): Exchange {
  // A non-LLM exchange is named after its path (`customers/<email>/orders`): redacted like it.
  const name = ex.kind === 'llm' ? ex.name : r.redactText(ex.name);
  const out: Exchange = { ...ex, name, path: r.redactText(ex.path), request: redactRequest(r, ex.request) };
  if (ex.response) {
    out.response = { status: ex.response.status, headers: redactHeaders(r, ex.response.headers) };
    if (ex.response.body !== undefined) out.response.body = r.redactValue(ex.response.body);
    if (ex.response.chunks) out.response.chunks = redactChunks(r, ex.response.chunks);
  }
  if (ex.error) out.error = { code: ex.error.code, message: r.redactText(ex.error.message) };
  if (ex.llm) out.llm = { ...ex.llm, messages: ex.llm.messages.map((m) => redactMessage(r, m)), output: ex.llm.output.map((m) => redactMessage(r, m)) };
  return out;
}

function redactRequest(r: Redactor, req: RecordedRequest): RecordedRequest {
  const out: RecordedRequest = { method: req.method, url: r.redactText(req.url), headers: redactHeaders(r, req.headers) };
  if (req.body !== undefined) out.body = r.redactValue(req.body);
  return out;
}

/** Credential headers are dropped by name; other values are redacted as fields named like the header. */
export function redactHeaders(r: Redactor, headers: HeaderMap): HeaderMap {
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) {
    if (UNRECORDED_HEADER.test(name)) continue;
    out[name] = r.redactField(value, [name]);
  }
  return out;
}

function redactMessage(r: Redactor, m: LlmMessage): LlmMessage {
  const out: LlmMessage = { ...m, content: r.redactText(m.content) };
  if (m.toolCalls) out.toolCalls = m.toolCalls.map((c) => ({ ...c, arguments: r.redactText(c.arguments) }));
  return out;
}
