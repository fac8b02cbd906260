import type { ServerResponse } from 'node:http';
import { HarnessError } from '../errors.ts';
import type { ExchangeError, StreamChunk } from '../model/index.ts';
import type { Clock } from '../util/clock.ts';
import { HOP_BY_HOP_HEADERS } from '../wire/headers.ts';
import type { Outcome, Reply } from './faults/fault-kind.ts';

/** What was actually served, for the journal. */
export interface Served {
  response: { status: number; body?: unknown; chunks?: StreamChunk[] } | null;
  error?: ExchangeError;
}

/** Who produced the answer: the four ways a call can be answered. */
export type AnswerSource = 'replay' | 'fault' | 'proxy' | 'unmatched';

/**
 * A recorded or upstream answer's headers fit to send again: lower-case names, without those
 * that describe one connection or one encoding of the body (the answer is re-encoded).
 */
export function answerHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const name = k.toLowerCase();
    if (!HOP_BY_HOP_HEADERS.has(name) && name !== 'content-length' && name !== 'content-encoding') out[name] = v;
  }
  return out;
}

function journalBody(reply: Reply, text: string): unknown {
  if (reply.body.type === 'whole' && reply.body.json !== undefined) return reply.body.json;
  if (!(reply.headers['content-type'] ?? '').includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Answers one dependency call exactly once (after mswjs/interceptors' RequestController):
 * replay, fault, proxy or unmatched each produce an `Outcome`, and only `respondWith` writes
 * it. A second answer is a bug in rehearsal and fails loudly, naming the call and both
 * answers, instead of corrupting the app's connection.
 */
export class CallController {
  readonly #res: ServerResponse;
  readonly #clock: Clock;
  readonly #label: string;
  readonly #abort = new AbortController();
  #answeredBy: AnswerSource | undefined;

  /** `label` names the call in errors: `POST /_deps/llm/v1/chat/completions (instance s1, turn 2)`. */
  constructor(res: ServerResponse, clock: Clock, label: string) {
    this.#res = res;
    this.#clock = clock;
    this.#label = label;
    res.once('close', () => {
      if (!res.writableFinished) this.#abort.abort(new Error('the app closed the connection'));
    });
  }

  /** Aborts when the app gives up on the call. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get answeredBy(): AnswerSource | undefined {
    return this.#answeredBy;
  }

  async respondWith(outcome: Outcome, source: AnswerSource): Promise<Served> {
    if (this.#answeredBy !== undefined) {
      throw new HarnessError('INTERNAL', `${this.#label} was already answered by ${this.#answeredBy}; a second answer by ${source} was refused`, {
        hint: 'a virtual dependency call has exactly one answer: this is a bug in rehearsal, please report it',
      });
    }
    this.#answeredBy = source;
    if (outcome.type === 'drop') return this.#drop(outcome);
    return this.#write(outcome.reply);
  }

  #drop(outcome: Extract<Outcome, { type: 'drop' }>): Served {
    const socket = this.#res.socket;
    // An RST, not a FIN, is what a reset dependency looks like to the app's HTTP client.
    if (outcome.code === 'ECONNRESET' && socket && !socket.destroyed) socket.resetAndDestroy();
    else socket?.destroy();
    return { response: null, error: { code: outcome.code, message: outcome.message } };
  }

  async #write(reply: Reply): Promise<Served> {
    const res = this.#res;
    const body = reply.body;
    if (body.type === 'whole') {
      res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(body.text) });
      res.end(body.text);
      return { response: { status: reply.status, body: journalBody(reply, body.text) } };
    }
    res.writeHead(reply.status, reply.headers);
    res.flushHeaders();
    const start = this.#clock.now();
    const served: StreamChunk[] = [];
    const finish = (error?: ExchangeError): Served => {
      if (!error) res.end();
      const response = body.type === 'live' && !body.streamed
        ? { status: reply.status, body: journalBody(reply, served.map((c) => c.data).join('')) }
        : { status: reply.status, chunks: served };
      return error ? { response, error } : { response };
    };
    try {
      if (body.type === 'chunks') {
        for (const chunk of body.chunks) {
          const wait = start + chunk.offsetMs - this.#clock.now();
          if (wait > 0) await this.#clock.sleep(wait, this.signal);
          if (this.signal.aborted) break;
          res.write(chunk.data);
          served.push(chunk);
        }
      } else {
        const decoder = new TextDecoder();
        for await (const piece of body.source) {
          if (this.signal.aborted) break;
          res.write(piece);
          served.push({ offsetMs: this.#clock.now() - start, data: decoder.decode(piece, { stream: true }) });
        }
      }
    } catch (err) {
      if (!this.signal.aborted) {
        res.destroy();
        return finish({ code: 'upstream_error', message: `the body broke off while streaming: ${err instanceof Error ? err.message : String(err)}` });
      }
    }
    if (this.signal.aborted) return finish({ code: 'client_closed', message: `the app closed the connection after ${served.length} chunk(s)` });
    return finish();
  }
}
