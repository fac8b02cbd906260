/**
 * `verify`: every check the reader makes, but collecting problems instead of stopping at the
 * first, so one run lists everything wrong with a recording.
 */
import { HarnessError, errorMessage, type ErrorCode } from '../errors.ts';
import type { Manifest } from '../model/index.ts';
import { TarArchiveReader, type ArchiveReadOptions } from './archive-reader.ts';
import { sniffArchive } from './tar-source.ts';

export interface VerifyProblem {
  code: ErrorCode;
  message: string;
  hint?: string;
}

export interface VerifyReport {
  archive: string;
  ok: boolean;
  /** Present when the manifest could be read. */
  manifest?: Manifest;
  /** Session entries that passed every check. */
  soundSessions: number;
  problems: VerifyProblem[];
}

function problemOf(err: unknown): VerifyProblem {
  if (err instanceof HarnessError) return { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) };
  return { code: 'INTERNAL', message: errorMessage(err) };
}

/**
 * Checks a recording: manifest schema and consistency, every entry's type, name, order, size,
 * checksum and session schema, and completeness. Throws only when the file cannot be read as
 * an archive at all (missing, unreadable, not a tar / tar.gz).
 */
export async function verifyArchive(path: string, options: ArchiveReadOptions = {}): Promise<VerifyReport> {
  await sniffArchive(path);
  const problems: VerifyProblem[] = [];
  let reader: TarArchiveReader;
  try {
    reader = await TarArchiveReader.open(path, options);
  } catch (err) {
    return { archive: path, ok: false, soundSessions: 0, problems: [problemOf(err)] };
  }
  let sound = 0;
  try {
    for await (const _ of reader.entries((problem) => problems.push(problemOf(problem)))) sound++;
  } catch (err) {
    problems.push(problemOf(err));
  }
  return { archive: path, ok: problems.length === 0, manifest: reader.manifest, soundSessions: sound, problems };
}
