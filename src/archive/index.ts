/**
 * Recording archives: a tar (gzip optional) holding `manifest.json` first, then one
 * `sessions/NNNNNN.json` entry per session. Written and read as streams in bounded memory;
 * reading is safe against hostile archives (see `limits.ts`, `entry-names.ts`).
 */
import type { Manifest, Session } from '../model/index.ts';
import { TarArchiveReader, type ArchiveReadOptions } from './archive-reader.ts';
import { SpoolingArchiveWriter } from './archive-writer.ts';

export type { ArchiveReadOptions, ProblemSink, SessionEntry } from './archive-reader.ts';
export { TarArchiveReader } from './archive-reader.ts';
export { DEFAULT_LIMITS, type ArchiveLimits } from './limits.ts';
export { MIGRATIONS, type Migration } from './migrations.ts';

export interface ArchiveWriteOptions {
  /** Gzip the tar; default: true when the path ends in `.gz` / `.tgz`. */
  gzip?: boolean;
  /** Tool that wrote it, e.g. `rehearse record 0.1.0`. */
  generator?: string;
  /** `policyId: 'none'` marks a raw (not yet anonymized) recording, as importers write. */
  anonymization: Manifest['anonymization'];
  /** Fixed creation time, for byte-stable output. */
  createdAt?: Date;
  /**
   * Validate each session against the `Session` schema before writing it. Off by default:
   * sessions built by rehearsal are typed; turn it on for data from outside (pack does).
   */
  validate?: boolean;
}

/** Streaming writer: memory stays flat whatever the number of sessions. */
export interface ArchiveWriter {
  add(session: Session): Promise<void>;
  /** Finishes the archive (manifest first, then entries) and renames it into place. */
  close(): Promise<Manifest>;
  /** Removes partial output. */
  abort(): Promise<void>;
}

export interface ArchiveReader {
  readonly path: string;
  readonly manifest: Manifest;
  /** Sessions in archive order, validated against the schema and their manifest checksum. */
  sessions(): AsyncIterable<Session>;
}

/** Starts an archive at `path` (written to a temp file beside it; renamed into place by `close`). */
export async function createArchiveWriter(path: string, options: ArchiveWriteOptions): Promise<ArchiveWriter> {
  return SpoolingArchiveWriter.create(path, {
    gzip: options.gzip ?? /\.(gz|tgz)$/i.test(path),
    generator: options.generator ?? 'rehearsal',
    anonymization: options.anonymization,
    createdAt: options.createdAt ?? new Date(),
    validate: options.validate ?? false,
  });
}

/** Writes all `sessions` to `path`; on any failure removes the partial output and rethrows. */
export async function writeArchive(
  path: string,
  sessions: Iterable<Session> | AsyncIterable<Session>,
  options: ArchiveWriteOptions,
): Promise<Manifest> {
  const writer = await createArchiveWriter(path, options);
  try {
    for await (const s of sessions) await writer.add(s);
    return await writer.close();
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

/**
 * Opens a recording: reads and validates the manifest now (throwing `HarnessError`
 * `ARCHIVE` / `SCHEMA` for anything wrong); sessions stream later, each checked.
 */
export async function openArchive(path: string, options: ArchiveReadOptions = {}): Promise<TarArchiveReader> {
  return TarArchiveReader.open(path, options);
}
