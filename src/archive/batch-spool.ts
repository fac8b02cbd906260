/**
 * The archive writer's spool: an append-only file of tar bytes, written in large batches.
 *
 * Design: callers `take` a slot in the current batch buffer and fill it in place (no per-entry
 * buffers, no copies). A full batch is sealed and leaves the main thread: written as is, or
 * fed to one gzip stream whose output goes to the file — compression on the libuv thread pool
 * overlaps the stringifying of the next sessions. (One gzip member per batch, compressed in
 * parallel, measured slower on 2 cores: a deflate state per batch, and the pool threads then
 * compete with the main thread.) A batch buffer is reused once written or compressed, so the
 * heap sees a few large allocations instead of one per entry. At most `MAX_IN_FLIGHT` sealed
 * batches exist: callers await `settle()` for backpressure.
 */
import type { FileHandle } from 'node:fs/promises';
import { createGzip, type Gzip } from 'node:zlib';

/** Bytes per batch: large enough that a write or a zlib call costs little per byte. */
export const BATCH_BYTES = 1024 * 1024;
/** Sealed batches being written or compressed before `settle` waits: one in the pool, one queued. */
const MAX_IN_FLIGHT = 2;
const GZIP_OUT_CHUNK = 256 * 1024;

/** Where sealed batches go; `write` resolves once the batch's bytes may be reused. */
interface BatchSink {
  write(batch: Buffer): Promise<void>;
  /** Flushes and waits for everything written; rejects with the first error. */
  end(): Promise<void>;
}

/** Plain tar: each batch written at the next position. */
function fileSink(handle: FileHandle): BatchSink {
  let position = 0;
  let last: Promise<void> = Promise.resolve();
  return {
    write(batch) {
      const at = position;
      position += batch.length;
      last = last.then(() => writeFully(handle, batch, at));
      return last;
    },
    end: () => last,
  };
}

/** tar.gz: batches go through one gzip stream into the file. */
function gzipSink(handle: FileHandle, level: number): BatchSink {
  const gzip: Gzip = createGzip({ level, chunkSize: GZIP_OUT_CHUNK });
  // Reading one output chunk at a time is the backpressure: zlib pauses while a write is pending.
  const done = (async () => {
    let position = 0;
    for await (const chunk of gzip as AsyncIterable<Buffer>) {
      await writeFully(handle, chunk, position);
      position += chunk.length;
    }
  })();
  done.catch(() => undefined); // surfaced by write() or end()
  return {
    // zlib calls back once it has consumed the chunk.
    write: (batch) => new Promise((resolve, reject) => gzip.write(batch, (err) => (err ? reject(err) : resolve()))),
    end() {
      gzip.end();
      return done;
    },
  };
}

export class BatchSpool {
  readonly #sink: BatchSink;
  /** Buffers whose batch is written, ready for the next batch. */
  readonly #free: Buffer[] = [];
  /** Completion of each sealed batch, oldest first. */
  readonly #inFlight: Array<Promise<void>> = [];
  #batch: Buffer | undefined;
  #used = 0;
  #failure: unknown;

  /** `gzipLevel` undefined: plain tar bytes; otherwise a gzip stream at that level. */
  constructor(handle: FileHandle, gzipLevel: number | undefined) {
    this.#sink = gzipLevel === undefined ? fileSink(handle) : gzipSink(handle, gzipLevel);
  }

  /** The first write or compression error, if any. */
  get failure(): unknown {
    return this.#failure;
  }

  /**
   * A slot of `bytes` to fill synchronously, before the next `take`. Slots are contiguous
   * in the file in the order taken. An entry larger than a batch gets a batch of its own.
   */
  take(bytes: number): Buffer {
    if (this.#batch !== undefined && this.#used + bytes > this.#batch.length) this.#seal();
    if (this.#batch === undefined) {
      this.#batch = bytes > BATCH_BYTES ? Buffer.allocUnsafeSlow(bytes) : (this.#free.pop() ?? Buffer.allocUnsafeSlow(BATCH_BYTES));
      this.#used = 0;
    }
    const slot = this.#batch.subarray(this.#used, this.#used + bytes);
    this.#used += bytes;
    return slot;
  }

  /** Waits until fewer than `MAX_IN_FLIGHT` batches are pending. */
  async settle(): Promise<void> {
    while (this.#inFlight.length >= MAX_IN_FLIGHT) await this.#inFlight.shift();
  }

  /** Writes what is left and waits for every write; the handle stays open. */
  async finish(): Promise<void> {
    if (this.#batch !== undefined) this.#seal();
    await Promise.all(this.#inFlight);
    await this.#sink.end().catch((err: unknown) => {
      this.#failure ??= err;
    });
  }

  #seal(): void {
    const batch = this.#batch as Buffer;
    this.#batch = undefined;
    const done = this.#sink.write(batch.subarray(0, this.#used)).then(
      () => {
        if (batch.length === BATCH_BYTES) this.#free.push(batch);
      },
      (err: unknown) => {
        this.#failure ??= err;
      },
    );
    this.#inFlight.push(done);
  }
}

/** Writes all of `data` at `position` (a write may be partial). */
export async function writeFully(handle: FileHandle, data: Buffer, position: number): Promise<void> {
  for (let at = 0; at < data.length; ) {
    const { bytesWritten } = await handle.write(data, at, data.length - at, position + at);
    at += bytesWritten;
  }
}
