/**
 * The byte layer of the reader: a `.tar` or `.tar.gz` file as a stream of whole entries.
 *
 * Design: file → (gunzip) → byte guard → tar-stream extract, chained with `pipeline` so an
 * error anywhere tears everything down; gunzip runs on the libuv thread pool, overlapping the
 * parse on the main thread. Each header is shown to `admit` before its body is buffered, so an
 * entry declaring 50 GiB is refused without reading it; the guard counts uncompressed bytes
 * against a budget and an expansion ratio (zip bombs).
 *
 * Memory: every stream chunk is a fresh off-heap buffer, freed only when the GC collects its
 * handle. Chunks that die young are freed by the next scavenge; chunks held across several
 * scavenges (deep stream buffers, 1 MiB reads) are promoted and pile up until a full GC, which
 * V8 starts late for off-heap memory. So chunks stay small (64 KiB, the stream defaults), and
 * entry bodies are assembled in one reused buffer rather than a new one per entry: reading a
 * 1 GiB recording then holds about what reading a 50 MiB one does.
 */
import { open } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract, type Header as Headers } from 'tar-stream';
import { HarnessError, errorMessage } from '../errors.ts';
import type { ArchiveLimits } from './limits.ts';

export interface TarEntry {
  header: Headers;
  /** The whole body; valid only until the iterator moves on (its buffer is reused). */
  body: Buffer;
}

/** What the reader is doing, shared with the guard and error messages. */
export interface ReadPosition {
  /** Name of the entry being read, or the last one read. */
  entry: string;
  /** Uncompressed bytes allowed in total; lowered once the manifest tells the expected size. */
  maxBytes: number;
}

const GZIP_MAGIC = [0x1f, 0x8b];
/** Read and gunzip chunk size (see Memory above). */
const CHUNK_BYTES = 64 * 1024;

class ByteGuard extends Transform {
  #total = 0;
  readonly #archive: string;
  readonly #position: ReadPosition;
  readonly #limits: ArchiveLimits;
  readonly #compressedBytes: (() => number) | undefined;

  constructor(archive: string, position: ReadPosition, limits: ArchiveLimits, compressedBytes: (() => number) | undefined) {
    super();
    this.#archive = archive;
    this.#position = position;
    this.#limits = limits;
    this.#compressedBytes = compressedBytes;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#total += chunk.length;
    if (this.#total > this.#position.maxBytes) {
      return cb(
        new HarnessError('ARCHIVE', `archive ${this.#archive}: more than ${this.#position.maxBytes} bytes of tar data (reading after entry ${this.#position.entry})`, {
          hint: 'the archive is larger than its manifest declares or than the size limit; it may be a zip bomb or corrupt',
        }),
      );
    }
    const compressed = this.#compressedBytes?.();
    if (compressed !== undefined && this.#total > this.#limits.expansionGraceBytes && this.#total > compressed * this.#limits.maxExpansionRatio) {
      return cb(
        new HarnessError('ARCHIVE', `archive ${this.#archive}: gzip data expands more than ${this.#limits.maxExpansionRatio}× (at entry ${this.#position.entry})`, {
          hint: 'this looks like a zip bomb; raise maxExpansionRatio only for an archive you trust',
        }),
      );
    }
    cb(null, chunk);
  }
}

function corrupt(archive: string, position: ReadPosition, err: unknown): HarnessError {
  if (err instanceof HarnessError) return err;
  const message = errorMessage(err);
  const truncated = /unexpected end/i.test(message);
  return new HarnessError(
    'ARCHIVE',
    `archive ${archive}: ${truncated ? 'truncated' : 'corrupt'} after entry ${position.entry} (${message})`,
    { hint: truncated ? 'the file was cut short (interrupted copy or download?); fetch it again' : 'the file is damaged or not a rehearsal recording', cause: err },
  );
}

/** Whether the file starts like gzip; throws when it cannot be opened or is neither gzip nor a tar. */
export async function sniffArchive(archive: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(archive, 'r');
  } catch (err) {
    throw new HarnessError('ARCHIVE', `cannot open archive ${archive}: ${errorMessage(err)}`, { cause: err, hint: 'check the path' });
  }
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, 512, 0);
    if (bytesRead >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) return true;
    // A ustar header, or the zero block that starts an empty tar.
    if (bytesRead === 512 && (head.toString('latin1', 257, 262) === 'ustar' || head.every((b) => b === 0))) return false;
    throw new HarnessError('ARCHIVE', `archive ${archive} is not a tar or tar.gz file${bytesRead === 0 ? ' (it is empty)' : ''}`, {
      hint: 'a recording is a .tar or .tar.gz written by `rehearse record`, `import` or `pack`',
    });
  } finally {
    await handle.close();
  }
}

/**
 * Yields the entries of a tar / tar.gz file in order, whole. `admit` sees each header before
 * its body is read and throws to refuse it. Each body is valid until the next step of the
 * iteration. Stop early with `break`: the file is closed.
 */
export async function* readTarEntries(
  archive: string,
  limits: ArchiveLimits,
  position: ReadPosition,
  admit: (header: Headers) => void,
): AsyncGenerator<TarEntry> {
  const gzip = await sniffArchive(archive);
  const handle = await open(archive, 'r');
  const source = handle.createReadStream({ highWaterMark: CHUNK_BYTES });
  const extract = tarExtract();
  const stages = gzip
    ? [source, createGunzip({ chunkSize: CHUNK_BYTES }), new ByteGuard(archive, position, limits, () => source.bytesRead)]
    : [source, new ByteGuard(archive, position, limits, undefined)];
  let failure: unknown;
  let bodies = Buffer.alloc(0);
  const done = pipeline([...stages, extract] as unknown as NodeJS.ReadWriteStream[]).catch((err: unknown) => {
    failure ??= err;
  });
  try {
    for await (const entry of extract) {
      admit(entry.header);
      position.entry = entry.header.name;
      const size = entry.header.size ?? 0;
      if (size > bodies.length) bodies = Buffer.allocUnsafeSlow(Math.ceil(size / CHUNK_BYTES) * CHUNK_BYTES);
      const body = bodies.subarray(0, size);
      let offset = 0;
      for await (const chunk of entry as AsyncIterable<Buffer>) offset += chunk.copy(body, offset);
      yield { header: entry.header, body };
    }
    await done;
    if (failure !== undefined) throw failure;
  } catch (err) {
    throw corrupt(archive, position, failure ?? err);
  } finally {
    extract.destroy();
    source.destroy();
    await done;
    await handle.close().catch(() => undefined);
  }
}
