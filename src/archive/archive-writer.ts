/**
 * Writing a recording archive in bounded memory.
 *
 * Design: the manifest (with every entry's sha256) must come first, but is known only at the
 * end. So `add` appends each session's tar entry to a spool file beside the output (gzip
 * compressed on the fly when the archive is gzipped), and `close` writes the manifest entry
 * followed by the spool into a temp file, then renames it into place. For gzip the manifest
 * is its own gzip member followed by the spool's member: concatenated members are one valid
 * gzip stream (RFC 1952 §2.2), so the spool is copied, never recompressed.
 *
 * Speed: JSON.stringify runs on the main thread while zlib, the file writes and the sha256
 * digests (WebCrypto) run on the libuv thread pool, so they overlap; `add` waits only when the
 * spool stream signals backpressure. Fixed mtime/uid/gid/mode and a given `createdAt` make the
 * output byte-stable.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync, type ZlibOptions } from 'node:zlib';
import { HarnessError, errorMessage } from '../errors.ts';
import { FORMAT_VERSION, Session, type Manifest, type ManifestEntry } from '../model/index.ts';
import { MANIFEST_NAME, sessionEntryName } from './entry-names.ts';
import { describeIssues } from './schema-issues.ts';
import { tarEntry } from './tar-header.ts';

/** zlib level 3: ~12× on session JSON at several hundred MB/s; level 6 halves the speed for ~25% less. */
export const GZIP_LEVEL = 3;
const GZIP_CHUNK = 256 * 1024;
const SPOOL_BUFFER = 4 * 1024 * 1024;
/** Digests in flight before `add` waits for the oldest (bounds memory held by pending hashes). */
const MAX_PENDING_DIGESTS = 16;

export interface WriterSettings {
  gzip: boolean;
  generator: string;
  anonymization: Manifest['anonymization'];
  createdAt: Date;
  /** Validate every session against the schema before writing (for data from outside). */
  validate: boolean;
}

/** Fixed key order, so the manifest bytes do not depend on how the caller built the object. */
function canonicalAnonymization(a: Manifest['anonymization']): Manifest['anonymization'] {
  return { policyId: a.policyId, ...(a.keyId === undefined ? {} : { keyId: a.keyId }), droppedSessions: a.droppedSessions ?? 0 };
}

async function sha256Hex(bytes: Buffer): Promise<string> {
  return Buffer.from(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)).toString('hex');
}

export class SpoolingArchiveWriter {
  readonly #path: string;
  readonly #spoolPath: string;
  readonly #tmpPath: string;
  readonly #settings: WriterSettings;
  /** Where entry bytes go: the gzip stream or the spool file itself. */
  readonly #sink: Writable;
  readonly #spoolDone: Promise<void>;
  #spoolError: unknown;
  readonly #entries: ManifestEntry[] = [];
  readonly #pendingDigests: Array<Promise<void>> = [];
  readonly #ids = new Set<string>();
  #turns = 0;
  #exchanges = 0;
  #state: 'open' | 'closing' | 'closed' | 'aborted' = 'open';

  private constructor(path: string, settings: WriterSettings) {
    this.#path = resolve(path);
    const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
    this.#spoolPath = join(dirname(this.#path), `.${basename(this.#path)}.${tag}.spool`);
    this.#tmpPath = join(dirname(this.#path), `.${basename(this.#path)}.${tag}.tmp`);
    this.#settings = settings;
    const file = createWriteStream(this.#spoolPath, { flags: 'wx', highWaterMark: SPOOL_BUFFER });
    if (settings.gzip) {
      // A deep input buffer lets zlib (thread pool) compress while the next session is stringified.
      const gzip = createGzip({ level: GZIP_LEVEL, chunkSize: GZIP_CHUNK, writableHighWaterMark: SPOOL_BUFFER } as ZlibOptions);
      this.#sink = gzip;
      this.#spoolDone = pipeline(gzip, file);
    } else {
      this.#sink = file;
      this.#spoolDone = once(file, 'close').then(() => undefined);
      file.on('error', (err) => {
        this.#spoolError ??= err;
      });
    }
    this.#spoolDone = this.#spoolDone.catch((err: unknown) => {
      this.#spoolError ??= err;
    });
  }

  static create(path: string, settings: WriterSettings): SpoolingArchiveWriter {
    return new SpoolingArchiveWriter(path, settings);
  }

  #ioError(what: string, err: unknown): HarnessError {
    return new HarnessError('IO', `cannot write archive ${this.#path}: ${what} (${errorMessage(err)})`, {
      cause: err,
      hint: 'check that the folder exists, is writable and has free space',
    });
  }

  async add(session: Session): Promise<void> {
    if (this.#state !== 'open') throw new HarnessError('INTERNAL', `archive writer for ${this.#path} is ${this.#state}; add() after close() or abort()`);
    if (this.#spoolError !== undefined) throw this.#ioError('spooling entries', this.#spoolError);
    if (this.#settings.validate) {
      const result = Session.safeParse(session);
      if (!result.success) {
        throw new HarnessError('SCHEMA', `session ${String((session as { id?: unknown }).id)} for archive ${this.#path} does not match the session schema: ${describeIssues(result.error.issues)}`, {
          hint: 'fix the session file; `rehearse unpack` of a sound archive shows the expected shape',
        });
      }
    }
    if (this.#ids.has(session.id)) {
      throw new HarnessError('ARCHIVE', `archive ${this.#path}: session ${session.id} added twice`, { hint: 'session ids must be unique within a recording' });
    }
    this.#ids.add(session.id);
    const name = sessionEntryName(this.#entries.length + 1);
    const { block, bodyBytes } = tarEntry(name, JSON.stringify(session), this.#settings.createdAt);
    const entry: ManifestEntry = { name, sessionId: session.id, bytes: bodyBytes, sha256: '', turns: session.turns.length };
    this.#entries.push(entry);
    this.#turns += session.turns.length;
    for (const turn of session.turns) this.#exchanges += turn.exchanges.length;
    this.#pendingDigests.push(sha256Hex(block.subarray(512, 512 + bodyBytes)).then((hex) => void (entry.sha256 = hex)));
    if (this.#pendingDigests.length > MAX_PENDING_DIGESTS) await this.#pendingDigests.shift();
    if (!this.#sink.write(block)) await Promise.race([once(this.#sink, 'drain'), this.#spoolDone]);
  }

  async close(): Promise<Manifest> {
    if (this.#state !== 'open') throw new HarnessError('INTERNAL', `archive writer for ${this.#path} is ${this.#state}; close() twice`);
    this.#state = 'closing';
    this.#sink.end(Buffer.alloc(1024)); // end-of-archive: two zero blocks
    await Promise.all(this.#pendingDigests);
    await this.#spoolDone;
    if (this.#spoolError !== undefined) throw this.#ioError('spooling entries', this.#spoolError);
    const manifest: Manifest = {
      formatVersion: FORMAT_VERSION,
      createdAt: this.#settings.createdAt.toISOString(),
      generator: this.#settings.generator,
      anonymization: canonicalAnonymization(this.#settings.anonymization),
      counts: { sessions: this.#entries.length, turns: this.#turns, exchanges: this.#exchanges },
      entries: this.#entries,
    };
    const { block: head } = tarEntry(MANIFEST_NAME, JSON.stringify(manifest), this.#settings.createdAt);
    try {
      const handle = await open(this.#tmpPath, 'wx');
      try {
        await handle.write(this.#settings.gzip ? gzipSync(head, { level: GZIP_LEVEL }) : head);
        for await (const chunk of createReadStream(this.#spoolPath, { highWaterMark: SPOOL_BUFFER })) await handle.write(chunk as Buffer);
      } finally {
        await handle.close();
      }
      await rename(this.#tmpPath, this.#path);
    } catch (err) {
      throw this.#ioError('assembling the archive', err);
    } finally {
      await rm(this.#spoolPath, { force: true });
      await rm(this.#tmpPath, { force: true });
    }
    this.#state = 'closed';
    return manifest;
  }

  async abort(): Promise<void> {
    if (this.#state === 'closed' || this.#state === 'aborted') return;
    this.#state = 'aborted';
    this.#sink.destroy();
    await this.#spoolDone;
    await Promise.allSettled(this.#pendingDigests);
    await rm(this.#spoolPath, { force: true });
    await rm(this.#tmpPath, { force: true });
  }
}
