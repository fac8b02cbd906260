/**
 * CONTRACT STUB — the archive helper replaces these bodies; signatures are what the rest of
 * rehearsal codes against. Keep them (extend, don't break).
 */
import { HarnessError } from '../errors.ts';
import type { Manifest, Session } from '../model/index.ts';

export interface ArchiveWriteOptions {
  /** Gzip the tar; default: true when the path ends in `.gz` / `.tgz`. */
  gzip?: boolean;
  /** Tool that wrote it, e.g. `rehearse record 0.1.0`. */
  generator?: string;
  /** `policyId: 'none'` marks a raw (not yet anonymized) recording, as importers write. */
  anonymization: Manifest['anonymization'];
  /** Fixed creation time, for byte-stable output. */
  createdAt?: Date;
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

export async function createArchiveWriter(_path: string, _options: ArchiveWriteOptions): Promise<ArchiveWriter> {
  throw new HarnessError('INTERNAL', 'archive writer not implemented yet');
}

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

export async function openArchive(_path: string): Promise<ArchiveReader> {
  throw new HarnessError('INTERNAL', 'archive reader not implemented yet');
}
