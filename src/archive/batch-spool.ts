/**
 * The archive writer's spool: an append-only file of tar bytes, written in large batches.
 *
 * Design: callers `take` a slot in the current batch buffer and fill it in place (no per-entry
 * buffers, no copies). A full batch is sealed and leaves the main thread: written as is, or —
 * for gzip — compressed as its own gzip member on the libuv thread pool, several batches at a
 * time, then written in order. Concatenated gzip members are one valid gzip stream
 * (RFC 1952 §2.2); a 1 MiB member costs ~2% of size against one continuous stream, and buys
 * compression on the thread pool while the next sessions are stringified. Batch buffers are reused
 * once written, so the heap sees a handful of large allocations instead of one per entry. At
 * most `MAX_IN_FLIGHT` sealed batches exist: `take` callers await `settle()` for backpressure.
 */
import type { FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';

const gzipAsync = promisify(gzipCallback);

/** Bytes per batch: large enough that a write or a gzip member costs little per byte. */
export const BATCH_BYTES = 1024 * 1024;
/**
 * Sealed batches compressing or writing before `settle` waits. Two keep a core busy
 * compressing while the main thread fills the next batch; more only oversubscribe the
 * cores the main thread needs (measured slower on 2 cores).
 */
const MAX_IN_FLIGHT = 2;
const GZIP_OUT_CHUNK = 256 * 1024;

export class BatchSpool {
  readonly #handle: FileHandle;
  readonly #gzipLevel: number | undefined;
  /** Buffers whose batch is written, ready for the next batch. */
  readonly #free: Buffer[] = [];
  /** Completion of each sealed batch, oldest first. */
  readonly #inFlight: Array<Promise<void>> = [];
  #batch: Buffer | undefined;
  #used = 0;
  /** Where the next sealed batch goes in the file (batches are written in seal order). */
  #lastWrite: Promise<number> = Promise.resolve(0);
  #failure: unknown;

  /** `gzipLevel` undefined: plain tar bytes; otherwise each batch becomes a gzip member. */
  constructor(handle: FileHandle, gzipLevel: number | undefined) {
    this.#handle = handle;
    this.#gzipLevel = gzipLevel;
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
    await this.#lastWrite.catch(() => undefined);
  }

  #seal(): void {
    const batch = this.#batch as Buffer;
    const bytes = batch.subarray(0, this.#used);
    this.#batch = undefined;
    const data =
      this.#gzipLevel === undefined ? Promise.resolve(bytes) : gzipAsync(bytes, { level: this.#gzipLevel, chunkSize: GZIP_OUT_CHUNK });
    const written = Promise.all([this.#lastWrite, data]).then(async ([position, out]) => {
      await writeFully(this.#handle, out, position);
      return position + out.length;
    });
    this.#lastWrite = written;
    const done = written.then(
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
