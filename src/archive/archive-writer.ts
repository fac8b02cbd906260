/**
 * Writing a recording archive in bounded memory.
 *
 * Design: the manifest (with every entry's sha256) must come first, but is known only at the
 * end. So `add` encodes each session's tar entry straight into a batch of the spool file
 * beside the output (`batch-spool.ts`: batches written as is, or through one gzip stream), and
 * `close` writes the manifest entry followed by the spool's bytes into a temp file, then
 * renames it into place. For gzip the manifest is its own gzip member in front of the spool's:
 * concatenated members are one valid gzip stream (RFC 1952 §2.2), so the spool is copied,
 * never recompressed.
 *
 * Speed: the main thread stringifies, encodes and hashes (sha256 in OpenSSL, ~1 GB/s); writes
 * and compression overlap it on the thread pool. Hashing there too (WebCrypto) measured no
 * faster on 2 cores: it copies every entry and competes with compression for the same cores.
 * Fixed mtime/uid/gid/mode and a given `createdAt` make the output byte-stable.
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { HarnessError, errorMessage } from '../errors.ts';
import { FORMAT_VERSION, Session, type Manifest, type ManifestEntry } from '../model/index.ts';
import { BatchSpool, writeFully } from './batch-spool.ts';
import { MANIFEST_NAME, sessionEntryName } from './entry-names.ts';
import { describeIssues } from './schema-issues.ts';
import { entryBlockBytes, tarEntry, writeTarEntry } from './tar-header.ts';

/** zlib level 3: ~12× on session JSON at several hundred MB/s; level 6 halves the speed for ~25% less. */
export const GZIP_LEVEL = 3;
/** Read size when copying the spool behind the manifest. */
const COPY_BUFFER = 4 * 1024 * 1024;

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

export class SpoolingArchiveWriter {
  readonly #path: string;
  readonly #spoolPath: string;
  readonly #tmpPath: string;
  readonly #settings: WriterSettings;
  readonly #spoolFile: FileHandle;
  readonly #spool: BatchSpool;
  readonly #entries: ManifestEntry[] = [];
  readonly #ids = new Set<string>();
  #turns = 0;
  #exchanges = 0;
  #state: 'open' | 'closing' | 'closed' | 'aborted' = 'open';

  private constructor(path: string, spoolPath: string, tmpPath: string, spoolFile: FileHandle, settings: WriterSettings) {
    this.#path = path;
    this.#spoolPath = spoolPath;
    this.#tmpPath = tmpPath;
    this.#settings = settings;
    this.#spoolFile = spoolFile;
    this.#spool = new BatchSpool(spoolFile, settings.gzip ? GZIP_LEVEL : undefined);
  }

  static async create(path: string, settings: WriterSettings): Promise<SpoolingArchiveWriter> {
    const full = resolve(path);
    const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
    const spoolPath = join(dirname(full), `.${basename(full)}.${tag}.spool`);
    const tmpPath = join(dirname(full), `.${basename(full)}.${tag}.tmp`);
    let spoolFile: FileHandle;
    try {
      spoolFile = await open(spoolPath, 'wx+');
    } catch (err) {
      throw ioError(full, 'creating the spool file', err);
    }
    return new SpoolingArchiveWriter(full, spoolPath, tmpPath, spoolFile, settings);
  }

  async add(session: Session): Promise<void> {
    if (this.#state !== 'open') throw new HarnessError('INTERNAL', `archive writer for ${this.#path} is ${this.#state}; add() after close() or abort()`);
    if (this.#spool.failure !== undefined) throw ioError(this.#path, 'spooling entries', this.#spool.failure);
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
    const body = JSON.stringify(session);
    const bytes = Buffer.byteLength(body, 'utf8');
    const slot = this.#spool.take(entryBlockBytes(bytes));
    writeTarEntry(slot, name, body, bytes, this.#settings.createdAt);
    const sha256 = createHash('sha256').update(slot.subarray(512, 512 + bytes)).digest('hex');
    this.#entries.push({ name, sessionId: session.id, bytes, sha256, turns: session.turns.length });
    this.#turns += session.turns.length;
    for (const turn of session.turns) this.#exchanges += turn.exchanges.length;
    await this.#spool.settle();
  }

  async close(): Promise<Manifest> {
    if (this.#state !== 'open') throw new HarnessError('INTERNAL', `archive writer for ${this.#path} is ${this.#state}; close() twice`);
    this.#state = 'closing';
    this.#spool.take(1024).fill(0); // end-of-archive: two zero blocks
    const manifest: Manifest = {
      formatVersion: FORMAT_VERSION,
      createdAt: this.#settings.createdAt.toISOString(),
      generator: this.#settings.generator,
      anonymization: canonicalAnonymization(this.#settings.anonymization),
      counts: { sessions: this.#entries.length, turns: this.#turns, exchanges: this.#exchanges },
      entries: this.#entries,
    };
    const head = tarEntry(MANIFEST_NAME, JSON.stringify(manifest), this.#settings.createdAt);
    try {
      await this.#spool.finish();
      if (this.#spool.failure !== undefined) throw ioError(this.#path, 'spooling entries', this.#spool.failure);
      await this.#assemble(this.#settings.gzip ? gzipSync(head, { level: GZIP_LEVEL }) : head);
      await rename(this.#tmpPath, this.#path);
    } catch (err) {
      throw err instanceof HarnessError ? err : ioError(this.#path, 'assembling the archive', err);
    } finally {
      await this.#spoolFile.close().catch(() => undefined);
      await rm(this.#spoolPath, { force: true });
      await rm(this.#tmpPath, { force: true });
    }
    this.#state = 'closed';
    return manifest;
  }

  /** Writes `head` then the spool's bytes into the temp file. */
  async #assemble(head: Buffer): Promise<void> {
    const out = await open(this.#tmpPath, 'wx');
    try {
      await writeFully(out, head, 0);
      const buffer = Buffer.allocUnsafe(COPY_BUFFER);
      for (let at = 0; ; ) {
        const { bytesRead } = await this.#spoolFile.read(buffer, 0, buffer.length, at);
        if (bytesRead === 0) break;
        await writeFully(out, buffer.subarray(0, bytesRead), head.length + at);
        at += bytesRead;
      }
    } finally {
      await out.close();
    }
  }

  async abort(): Promise<void> {
    if (this.#state === 'closed' || this.#state === 'aborted') return;
    this.#state = 'aborted';
    await this.#spool.finish();
    await this.#spoolFile.close().catch(() => undefined);
    await rm(this.#spoolPath, { force: true });
    await rm(this.#tmpPath, { force: true });
  }
}

function ioError(path: string, what: string, err: unknown): HarnessError {
  return new HarnessError('IO', `cannot write archive ${path}: ${what} (${errorMessage(err)})`, {
    cause: err,
    hint: 'check that the folder exists, is writable and has free space',
  });
}
