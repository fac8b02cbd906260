/**
 * What the proxy and the in-process recorder share: configuration, the session book, the
 * sink, counters and timers. Capture layers call `beginTurn` / `assignSession` / `endTurn` /
 * `recordCall`; every entry point is wrapped so a recorder bug is counted, never thrown into
 * the app's request path.
 */
import { createArchiveWriter } from '../archive/index.ts';
import type { Anonymizer } from '../anonymize/index.ts';
import { errorMessage } from '../errors.ts';
import type { ExchangeKind, RecordedRequest, TurnOutput } from '../model/index.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { AdmissionPolicy, type SegmentCap } from './admission.ts';
import { safeHeaders, decodeBody, type CapturedCall } from './captured-call.ts';
import { readPropagated } from './propagation.ts';
import { emptyStats, type RecorderStats } from './recorder-stats.ts';
import { RecordingSink, type OpenWriter } from './recording-sink.ts';
import type { RotatePolicy } from './rotation.ts';
import { SessionBook, type ActiveTurn } from './session-book.ts';
import type { StructuredSource } from './structured-source.ts';
import type { MessageView, ValueSource } from './value-source.ts';

export interface RecorderConfig {
  /** Archive path (`recordings/prod.tar.gz`); with `rotate`, files are `prod-0001.tar.gz`, … */
  out: string;
  anonymizer: Anonymizer;
  /**
   * Production session id → its recorded pseudonym (`pseudonymizeSessionId` with the key, as
   * `rehearse find` computes it); applied when the anonymizer left `Session.id` unchanged.
   * Without either, sessions fail closed rather than carry the production id.
   */
  pseudonymizeId?: (productionId: string) => string;
  /** Where each inbound request names its session. Requests without one are not turns. */
  sessionFrom: ValueSource;
  /** The user's words in the inbound request; default: the whole body as text. */
  inputFrom?: ValueSource;
  /** The reply text in the app's response; default: the whole body (or every event's data). */
  replyFrom?: ValueSource;
  /** The structured output in the app's JSON reply (e.g. `json:/triage`); default: the whole JSON body. */
  structuredFrom?: StructuredSource;
  /** Segment tags read from a session's first request, e.g. `{ channel: header:x-channel }`. */
  segments?: Record<string, ValueSource>;
  /** A header the app copies from its inbound request onto its dependency calls (e.g. `x-request-id`). */
  correlationHeader?: string;
  /** Per-dependency kind overrides (`--kind`). */
  kinds?: ReadonlyMap<string, ExchangeKind>;
  /** Fraction of sessions recorded, decided per session id. Default 1. */
  sample?: number;
  segmentCaps?: SegmentCap[];
  /** A session closes after this long without a turn. Default 5 minutes. */
  idleMs?: number;
  rotate?: RotatePolicy;
  /** Closed sessions waiting for the disk before new ones are dropped. Default 1000. */
  maxQueue?: number;
  /** Archive writer factory; default `createArchiveWriter` with the anonymizer's policy. */
  openWriter?: OpenWriter;
  generator?: string;
  clock?: Clock;
  /** Recorder problems (never the app's); default: ignored (they are counted in stats). */
  onError?: (message: string) => void;
}

/** Idle sessions one sweep step closes before the event loop runs again. */
export const SWEEP_BATCH = 128;

export interface InboundView extends MessageView {
  method: string;
}

export class RecorderCore {
  readonly config: RecorderConfig;
  readonly #stats = emptyStats();
  readonly #book: SessionBook;
  readonly #sink: RecordingSink;
  readonly #clock: Clock;
  readonly #sweeper: NodeJS.Timeout;
  /** A sweep is continuing batch by batch (see `#sweepStep`). */
  #sweeping = false;
  #closed = false;

  constructor(config: RecorderConfig) {
    this.config = config;
    this.#clock = config.clock ?? systemClock;
    const generator = config.generator ?? 'rehearse record';
    const stats = this.#stats;
    const openWriter: OpenWriter =
      config.openWriter ??
      ((path) => {
        // The manifest is written when the file closes: it counts the sessions whose
        // anonymization failed (fail closed) while this file was the one being written.
        const before = stats.dropped.anonymizeFailed;
        const anonymization = {
          policyId: config.anonymizer.policyId,
          keyId: config.anonymizer.keyId,
          get droppedSessions() {
            return stats.dropped.anonymizeFailed - before;
          },
        };
        return createArchiveWriter(path, { anonymization, generator });
      });
    this.#sink = new RecordingSink({
      out: config.out,
      openWriter,
      anonymizer: config.anonymizer,
      ...(config.pseudonymizeId ? { pseudonymizeId: config.pseudonymizeId } : {}),
      stats: this.#stats,
      maxQueue: config.maxQueue ?? 1000,
      ...(config.rotate ? { rotate: config.rotate } : {}),
      now: () => this.#clock.now(),
      onError: (m) => this.#report(m),
    });
    const idleMs = config.idleMs ?? 300_000;
    this.#book = new SessionBook({
      admission: new AdmissionPolicy(config.sample ?? 1, config.segmentCaps ?? []),
      kinds: { overrides: config.kinds ?? new Map() },
      idleMs,
      now: () => this.#clock.now(),
      onClose: (s) => this.#sink.offer(s),
      onRejected: (reason) => this.#stats.dropped[reason]++,
    });
    this.#sweeper = setInterval(() => {
      if (!this.#sweeping) this.#sweepStep();
    }, Math.min(1000, Math.max(10, idleMs / 4)));
    this.#sweeper.unref();
  }

  /**
   * Closes at most `SWEEP_BATCH` idle sessions, then, if more may be idle, lets the event loop
   * serve requests before the next batch: however many sessions idle out at once, the loop is
   * never held for more than one batch of (cheap) detaches.
   */
  #sweepStep(): void {
    const closed = this.#guard(() => this.#book.sweep(SWEEP_BATCH)) ?? 0;
    this.#sweeping = closed === SWEEP_BATCH && !this.#closed;
    if (this.#sweeping) setImmediate(() => this.#sweepStep());
  }

  now(): number {
    return this.#clock.now();
  }

  stats(): RecorderStats {
    return { ...this.#stats, dropped: { ...this.#stats.dropped }, archives: [...this.#stats.archives], openSessions: this.#book.openSessions };
  }

  /** Starts a turn for an inbound request; `traceId` is the trace the app will propagate. */
  beginTurn(request: InboundView, traceId: string | undefined): ActiveTurn | undefined {
    return this.#guard(() => {
      const correlation = this.config.correlationHeader ? headerValue(request.headers, this.config.correlationHeader) : undefined;
      return this.#book.begin({ startedWall: this.#clock.wallNow(), ...(traceId ? { traceId } : {}), ...(correlation ? { correlation } : {}) });
    });
  }

  /** Ties the turn to the session its request names; false when it names none (not a turn). */
  assignSession(turn: ActiveTurn, request: InboundView): boolean {
    return (
      this.#guard(() => {
        const key = this.config.sessionFrom.read(request);
        if (!key) return false;
        this.#book.assign(turn, key, () => this.#segment(request));
        return true;
      }) ?? false
    );
  }

  /** Ends a turn with the inbound request (raw body) and the output the user saw. */
  endTurn(turn: ActiveTurn, request: InboundView & { rawBody: Buffer }, output: TurnOutput): void {
    this.#guard(() => {
      const recorded: RecordedRequest = { method: request.method, url: request.url, headers: safeHeaders(request.headers) };
      // Middleware after a body parser sees no raw bytes, only the parsed body.
      const body = request.rawBody.length > 0 ? decodeBody(request.rawBody, request.headers) : request.body;
      if (body !== undefined) recorded.body = body;
      const text = this.config.inputFrom?.read(request) ?? (typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body));
      if (!this.#book.end(turn, { text, request: recorded }, output)) this.#stats.ignoredRequests++;
    });
  }

  /** A request that named no session: passed through, counted, forgotten. */
  abandonTurn(turn: ActiveTurn): void {
    this.#guard(() => this.#book.end(turn, undefined, { status: 0, text: '', latencyMs: 0 }));
    this.#stats.ignoredRequests++;
  }

  /** The turn a dependency call belongs to, from its headers — decided when the call starts. */
  attributeCall(headers: Record<string, string | string[] | undefined>): ActiveTurn | undefined {
    return this.#guard(() => {
      const correlation = this.config.correlationHeader ? headerValue(headers, this.config.correlationHeader) : undefined;
      return this.#book.attribute(readPropagated(headers), correlation)?.turn;
    });
  }

  /** Records a finished dependency call; without an owner turn it is counted unattributed. */
  recordCall(call: CapturedCall, owner: ActiveTurn | undefined): void {
    this.#guard(() => {
      if (owner) this.#book.addCall(owner, call);
      else this.#stats.unattributedCalls++;
    });
  }

  /** Flushes every open session and finishes the archive. Idempotent. */
  async close(): Promise<RecorderStats> {
    if (!this.#closed) {
      this.#closed = true;
      clearInterval(this.#sweeper);
      this.#guard(() => this.#book.closeAll());
      await this.#sink.close();
    }
    return this.stats();
  }

  #segment(request: InboundView): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [tag, source] of Object.entries(this.config.segments ?? {})) {
      const value = source.read(request);
      if (value !== undefined) out[tag] = value;
    }
    return out;
  }

  #guard<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      this.#stats.recorderErrors++;
      this.#report(`recorder error: ${errorMessage(err)}`);
      return undefined;
    }
  }

  #report(message: string): void {
    try {
      this.config.onError?.(message);
    } catch {
      // A failing log sink must not take the recorder down either.
    }
  }
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
