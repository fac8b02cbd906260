import { StringDecoder } from 'node:string_decoder';
import { Pool } from 'undici';
import type { Target } from '../scenario/schema.ts';
import { SseParser, type SseEvent } from '../wire/sse.ts';
import { transportError, type TargetEnvironment } from './http-target.ts';
import { asText, getByPointer } from '../util/json-pointer.ts';
import { buildRequest } from './request-template.ts';
import { turnSignal } from './turn-signal.ts';
import { warmUpPool } from './warm-up.ts';
import type { ObservedReply, SendContext, TargetAdapter, TargetTurn } from './types.ts';

export type SseTargetConfig = Extract<Target, { type: 'sse' }>;
type StreamConfig = SseTargetConfig['stream'];

/**
 * A streamed reply (Server-Sent Events) through a keep-alive undici Pool. Text is assembled
 * from `stream.textEvents` (the data, or a JSON pointer into it); `stream.finalEvent` may carry
 * the final text and structured output. TTFT is measured to the first text piece, gaps between
 * consecutive text pieces.
 */
export function createSseTarget(config: SseTargetConfig, env: TargetEnvironment): TargetAdapter {
  const base = new URL(env.url);
  const pool = new Pool(base.origin, { connections: env.connections ?? null, pipelining: 1 });
  return {
    async send(turn: TargetTurn, context: SendContext): Promise<ObservedReply> {
      const req = buildRequest(config.request, base.pathname, turn, context, env.deps);
      req.headers.accept ??= 'text/event-stream';
      const started = performance.now();
      const assembler = new ReplyAssembler(config.stream, started);
      const turnAbort = turnSignal(context.signal, config.timeout);
      try {
        const res = await pool.request({
          path: req.path,
          method: req.method as 'POST',
          headers: req.headers,
          body: req.body ?? null,
          signal: turnAbort.signal,
        });
        const parser = new SseParser();
        const decoder = new StringDecoder('utf8');
        for await (const chunk of res.body) {
          if (assembler.feed(parser.push(decoder.write(chunk as Buffer)), performance.now())) break;
        }
        assembler.feed([...parser.push(decoder.end()), ...parser.end()], performance.now());
        return assembler.reply(res.statusCode);
      } catch (err) {
        const partial = assembler.reply(0);
        return { ...partial, error: transportError(turnAbort.signal.reason ?? err, `${req.method} ${base.origin}${req.path}`, config.timeout, env) };
      } finally {
        turnAbort.done();
      }
    },
    warmUp: (request) => warmUpPool(pool, request, config.timeout),
    close: () => pool.close(),
  };
}

/** Folds SSE events into a reply; exported for unit tests of the stream rules. */
export class ReplyAssembler {
  readonly #config: StreamConfig;
  readonly #started: number;
  #pieces: string[] = [];
  #times: number[] = [];
  #final: unknown;
  #done = false;
  #error: string | undefined;

  constructor(config: StreamConfig, startedAt: number) {
    this.#config = config;
    this.#started = startedAt;
  }

  /** Takes events that arrived at `now`; true once the stream is done (`doneData` or final event). */
  feed(events: SseEvent[], now: number): boolean {
    for (const ev of events) {
      if (this.#done) break;
      if (this.#config.doneData !== undefined && ev.data === this.#config.doneData) {
        this.#done = true;
      } else if (ev.event === this.#config.finalEvent) {
        this.#final = parseJson(ev.data);
        this.#done = true;
      } else if (this.#config.textEvents.includes(ev.event)) {
        const piece = this.#config.textField === undefined ? ev.data : asText(getByPointer(parseJson(ev.data), this.#config.textField));
        this.#pieces.push(piece);
        this.#times.push(now);
      } else if (ev.event === 'error') {
        this.#error = `stream error event: ${ev.data.slice(0, 200)}`;
      }
    }
    return this.#done;
  }

  reply(status: number): ObservedReply {
    let text = this.#pieces.join('');
    const out: ObservedReply = { status, text };
    if (this.#final !== undefined) {
      if (this.#config.finalText !== undefined) {
        const finalText = getByPointer(this.#final, this.#config.finalText);
        if (finalText !== undefined) text = asText(finalText);
      }
      if (this.#config.structured !== undefined) {
        const structured = getByPointer(this.#final, this.#config.structured);
        if (structured !== undefined) out.structured = structured;
      }
    }
    out.text = text;
    const first = this.#times[0];
    if (first !== undefined) {
      out.ttftMs = first - this.#started;
      out.gapsMs = this.#times.slice(1).map((t, i) => t - (this.#times[i] as number));
    }
    if (this.#error) out.error = this.#error;
    return out;
  }
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}
