/**
 * Where closed sessions go: a bounded in-memory queue, drained by one async loop that builds
 * each session, anonymizes it and appends it to the current archive (rotating files when asked).
 *
 * Design: the request path only ever calls `offer`, which is synchronous and O(1); a full
 * queue drops the session with a counter, so a slow or full disk can never hold a response.
 * A session whose anonymization throws is dropped (fail closed) — the raw form is never
 * written anywhere.
 *
 * The drain shares the app's event loop, so it works in slices: it yields (`setImmediate`)
 * before each slice and ends a slice once `DRAIN_SLICE_MS` have passed, after the session in
 * hand — a request waits at most one slice plus one session, never the whole queue. Yielding
 * by time rather than after every session keeps the loop turns few when sessions are small.
 */
import type { ArchiveWriter } from '../archive/index.ts';
import { withoutSessionKey, type Anonymizer } from '../anonymize/index.ts';
import { errorMessage } from '../errors.ts';
import type { Session } from '../model/index.ts';
import type { PendingSession } from './closed-session.ts';
import type { RecorderStats } from './recorder-stats.ts';
import { rotatedPath, type RotatePolicy } from './rotation.ts';

export type OpenWriter = (path: string) => Promise<ArchiveWriter>;

/** How long the drain works before it lets the event loop run again. */
export const DRAIN_SLICE_MS = 1;

export interface RecordingSinkOptions {
  out: string;
  openWriter: OpenWriter;
  anonymizer: Anonymizer;
  /** Production session id → recorded pseudonym, applied when the anonymizer left the id as is. */
  pseudonymizeId?: (productionId: string) => string;
  stats: RecorderStats;
  /** Sessions waiting to be written before new ones are dropped. */
  maxQueue: number;
  rotate?: RotatePolicy;
  /** Monotonic ms: rotation by age, and the drain's time slices. */
  now: () => number;
  onError(message: string): void;
}

export class RecordingSink {
  readonly #o: RecordingSinkOptions;
  readonly #queue: PendingSession[] = [];
  #draining: Promise<void> = Promise.resolve();
  #running = false;
  #writer: ArchiveWriter | undefined;
  #fileIndex = 0;
  #fileBytes = 0;
  #fileOpenedAt = 0;

  constructor(options: RecordingSinkOptions) {
    this.#o = options;
  }

  /** Never blocks and never throws: queues the session (built later, in the drain) or counts it dropped. */
  offer(session: PendingSession): void {
    if (this.#queue.length >= this.#o.maxQueue) {
      this.#o.stats.dropped.queueFull++;
      return;
    }
    this.#queue.push(session);
    this.#o.stats.queuedSessions = this.#queue.length;
    if (!this.#running) {
      this.#running = true;
      this.#draining = this.#drain();
    }
  }

  /** Waits for the queue to empty and finishes the current archive. */
  async close(): Promise<void> {
    while (this.#running) await this.#draining;
    // An empty recording is still a valid archive: the output path always exists after a run.
    if (this.#fileIndex === 0) await this.#openFile();
    await this.#finishFile();
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        // Yield first: the drain never runs inside the code that offered the session.
        await new Promise((resolve) => setImmediate(resolve));
        const sliceEnd = this.#o.now() + DRAIN_SLICE_MS;
        do {
          const pending = this.#queue.shift() as PendingSession;
          this.#o.stats.queuedSessions = this.#queue.length;
          await this.#process(pending);
        } while (this.#queue.length > 0 && this.#o.now() < sliceEnd);
      }
    } finally {
      this.#running = false;
    }
  }

  async #process(pending: PendingSession): Promise<void> {
    let session: Session;
    try {
      session = pending.build();
    } catch (err) {
      // A recorder bug, not the session's fault; still never written raw.
      this.#o.stats.recorderErrors++;
      this.#o.onError(`session dropped: building it failed (${errorMessage(err)})`);
      return;
    }
    let safe: Session;
    try {
      safe = withoutSessionKey(this.#o.anonymizer.anonymizeSession(session), session.id, this.#o.pseudonymizeId);
    } catch (err) {
      this.#o.stats.dropped.anonymizeFailed++;
      this.#o.onError(`session dropped: anonymization failed (${errorMessage(err)})`);
      return;
    }
    try {
      await this.#write(safe);
      this.#o.stats.recordedSessions++;
      this.#o.stats.recordedTurns += safe.turns.length;
      this.#o.stats.recordedExchanges += safe.turns.reduce((n, t) => n + t.exchanges.length, 0);
    } catch (err) {
      this.#o.stats.dropped.writeFailed++;
      this.#o.onError(`session dropped: archive write failed (${errorMessage(err)})`);
    }
  }

  async #write(session: Session): Promise<void> {
    const rotate = this.#o.rotate;
    if (this.#writer && rotate) {
      const due = 'bytes' in rotate ? this.#fileBytes >= rotate.bytes : this.#o.now() - this.#fileOpenedAt >= rotate.ms;
      if (due) await this.#finishFile();
    }
    const writer = this.#writer ?? (await this.#openFile());
    await writer.add(session);
    if (rotate && 'bytes' in rotate) this.#fileBytes += JSON.stringify(session).length;
  }

  async #openFile(): Promise<ArchiveWriter> {
    this.#fileIndex++;
    const path = this.#o.rotate ? rotatedPath(this.#o.out, this.#fileIndex) : this.#o.out;
    const writer = await this.#o.openWriter(path);
    this.#writer = writer;
    this.#o.stats.archives.push(path);
    this.#fileBytes = 0;
    this.#fileOpenedAt = this.#o.now();
    return writer;
  }

  async #finishFile(): Promise<void> {
    const writer = this.#writer;
    this.#writer = undefined;
    if (writer) await writer.close();
  }
}
