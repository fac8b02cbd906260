/**
 * Reading a recording archive: the manifest at open, then sessions streamed entry by entry,
 * each checked against its manifest entry (name, order, size, sha256), migrated, and
 * validated against the `Session` schema. Memory holds one entry at a time.
 */
import { createHash } from 'node:crypto';
import type { Header as Headers } from 'tar-stream';
import { HarnessError, errorMessage } from '../errors.ts';
import { Session, type Manifest, type ManifestEntry } from '../model/index.ts';
import { MANIFEST_NAME, checkEntryHeader } from './entry-names.ts';
import { resolveLimits, type ArchiveLimits } from './limits.ts';
import { expectedTarBytes, parseManifest } from './manifest-check.ts';
import { migrateSession, type Migration } from './migrations.ts';
import { describeIssues } from './schema-issues.ts';
import { readTarEntries, type ReadPosition } from './tar-source.ts';

export interface ArchiveReadOptions {
  /** Safety limits; unset fields keep their safe defaults (`DEFAULT_LIMITS`). */
  limits?: Partial<ArchiveLimits>;
}

/** One session entry as read: the parsed JSON exactly as stored (after migration) and the validated session. */
export interface SessionEntry {
  entry: ManifestEntry;
  /** The entry's JSON, key order as stored: what `unpack` writes. */
  raw: unknown;
  session: Session;
}

/**
 * Receives per-entry problems (checksum, JSON, schema, id mismatch) so a caller like `verify`
 * can collect them all and go on; without it the first problem is thrown.
 */
export type ProblemSink = (problem: HarnessError) => void;

async function readManifest(path: string, limits: ArchiveLimits): Promise<{ manifest: Manifest; steps: Migration[]; bytes: number }> {
  const position: ReadPosition = { entry: '(start)', maxBytes: limits.maxTotalBytes };
  const admit = (header: Headers) => {
    checkEntryHeader(path, header);
    if (header.name !== MANIFEST_NAME) {
      throw new HarnessError('ARCHIVE', `archive ${path}: manifest.json is missing or not the first entry (first entry is ${header.name})`, {
        hint: 'a recording starts with manifest.json; repack it with `rehearse pack`',
      });
    }
    if ((header.size ?? 0) > limits.maxManifestBytes) {
      throw new HarnessError('ARCHIVE', `archive ${path}: entry manifest.json is ${header.size} bytes, more than the limit of ${limits.maxManifestBytes}`, {
        hint: 'raise limits.maxManifestBytes only for an archive you trust',
      });
    }
  };
  for await (const { body } of readTarEntries(path, limits, position, admit)) {
    return { ...parseManifest(path, body, limits), bytes: body.length };
  }
  throw new HarnessError('ARCHIVE', `archive ${path}: manifest.json is missing (the archive has no entries)`, {
    hint: 'a recording starts with manifest.json; this tar is empty',
  });
}

function entryError(code: 'ARCHIVE' | 'SCHEMA', path: string, entry: ManifestEntry, what: string, hint: string): HarnessError {
  return new HarnessError(code, `archive ${path}: entry ${entry.name} (session ${entry.sessionId}) ${what}`, { hint });
}

/**
 * Checks one session body against its manifest entry; returns the session or the problem.
 * (Hashing on the thread pool with WebCrypto measured slower here: one await per entry costs
 * more than the overlap gains.)
 */
function decodeEntry(path: string, entry: ManifestEntry, body: Buffer, steps: readonly Migration[]): SessionEntry | HarnessError {
  let decoded: SessionEntry | HarnessError;
  let raw: unknown;
  try {
    raw = migrateSession(JSON.parse(body.toString('utf8')), steps);
  } catch (err) {
    raw = err;
  }
  if (raw instanceof Error) {
    decoded = entryError('SCHEMA', path, entry, `is not valid JSON (${errorMessage(raw)})`, 'the entry is damaged; re-record or restore it');
  } else {
    const result = Session.safeParse(raw);
    if (!result.success) {
      decoded = entryError('SCHEMA', path, entry, `does not match the session schema: ${describeIssues(result.error.issues)}`, 'the recording was written by an incompatible tool or edited by hand');
    } else if (result.data.id !== entry.sessionId || result.data.turns.length !== entry.turns) {
      decoded = entryError('SCHEMA', path, entry, `holds session ${result.data.id} with ${result.data.turns.length} turns, manifest says ${entry.sessionId} with ${entry.turns}`, 'the manifest and the entry disagree; the archive was edited by hand');
    } else {
      decoded = { entry, raw, session: result.data };
    }
  }
  const sha256 = createHash('sha256').update(body).digest('hex');
  if (sha256 !== entry.sha256) {
    // A checksum failure explains any parse or schema failure, so it wins.
    return entryError('ARCHIVE', path, entry, `fails its checksum (sha256 ${sha256.slice(0, 12)}…, manifest says ${entry.sha256.slice(0, 12)}…)`, 'the entry was altered or damaged after writing; do not trust this recording');
  }
  return decoded;
}

/** A recording opened for reading. `sessions()` may be iterated any number of times. */
export class TarArchiveReader {
  readonly path: string;
  readonly manifest: Manifest;
  readonly #steps: Migration[];
  readonly #limits: ArchiveLimits;
  readonly #manifestBytes: number;

  private constructor(path: string, manifest: Manifest, steps: Migration[], limits: ArchiveLimits, manifestBytes: number) {
    this.path = path;
    this.manifest = manifest;
    this.#steps = steps;
    this.#limits = limits;
    this.#manifestBytes = manifestBytes;
  }

  static async open(path: string, options: ArchiveReadOptions = {}): Promise<TarArchiveReader> {
    const limits = resolveLimits(options.limits);
    const { manifest, steps, bytes } = await readManifest(path, limits);
    return new TarArchiveReader(path, manifest, steps, limits, bytes);
  }

  async *sessions(): AsyncGenerator<Session> {
    for await (const { session } of this.entries()) yield session;
  }

  /**
   * Session entries in archive order. Structural problems (hostile or unexpected entries,
   * truncation) always throw; per-entry problems go to `onProblem` when given.
   */
  async *entries(onProblem?: ProblemSink): AsyncGenerator<SessionEntry> {
    const { path, manifest } = this;
    const expected = manifest.entries;
    const position: ReadPosition = {
      entry: '(start)',
      maxBytes: Math.min(this.#limits.maxTotalBytes, expectedTarBytes(manifest, this.#manifestBytes)),
    };
    const seen = new Set<string>();
    let index = -1;
    const admit = (header: Headers) => {
      checkEntryHeader(path, header);
      index++;
      const name = header.name;
      const size = header.size ?? 0;
      if (index === 0) {
        if (name !== MANIFEST_NAME) throw new HarnessError('ARCHIVE', `archive ${path}: manifest.json is not the first entry any more (found ${name})`, { hint: 'the file changed while being read' });
        return;
      }
      const want = expected[index - 1];
      if (seen.has(name) || name === MANIFEST_NAME) {
        throw new HarnessError('ARCHIVE', `archive ${path}: entry ${name} appears twice`, { hint: 'a duplicate entry could shadow the checked one; the archive was tampered with' });
      }
      seen.add(name);
      if (!want) {
        throw new HarnessError('ARCHIVE', `archive ${path}: entry ${name} is not listed in manifest.json (which lists ${expected.length})`, { hint: 'the archive was modified after writing; repack it with `rehearse pack`' });
      }
      if (name !== want.name) {
        throw new HarnessError('ARCHIVE', `archive ${path}: entry ${name} found where manifest.json lists ${want.name}`, { hint: 'entries are out of order or not in the manifest; repack with `rehearse pack`' });
      }
      if (size > this.#limits.maxEntryBytes) {
        throw new HarnessError('ARCHIVE', `archive ${path}: entry ${name} is ${size} bytes, more than the limit of ${this.#limits.maxEntryBytes}`, { hint: 'raise limits.maxEntryBytes only for an archive you trust' });
      }
      if (size !== want.bytes) {
        throw new HarnessError('ARCHIVE', `archive ${path}: entry ${name} is ${size} bytes but manifest.json declares ${want.bytes}`, { hint: 'the entry was altered after writing; do not trust this recording' });
      }
    };
    let read = 0;
    for await (const { header, body } of readTarEntries(path, this.#limits, position, admit)) {
      if (header.name === MANIFEST_NAME) continue;
      const want = expected[read++] as ManifestEntry;
      const decoded = decodeEntry(path, want, body, this.#steps);
      if (decoded instanceof HarnessError) {
        if (!onProblem) throw decoded;
        onProblem(decoded);
        continue;
      }
      yield decoded;
    }
    if (read < expected.length) {
      throw new HarnessError('ARCHIVE', `archive ${path}: truncated after entry ${position.entry}: ${read} of ${expected.length} session entries present (next missing: ${expected[read]?.name})`, {
        hint: 'the file was cut short (interrupted copy or download?); fetch it again',
      });
    }
  }
}
