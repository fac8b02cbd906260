/** Names of the entries of a recording archive, and the checks every tar header must pass. */
import type { Header as Headers } from 'tar-stream';
import { HarnessError } from '../errors.ts';

export const MANIFEST_NAME = 'manifest.json';

const SESSION_NAME = /^sessions\/\d{6,}\.json$/;

/** `sessions/000001.json` for the first session (1-based, at least six digits). */
export function sessionEntryName(ordinal: number): string {
  return `sessions/${String(ordinal).padStart(6, '0')}.json`;
}

export function isSessionEntryName(name: string): boolean {
  return SESSION_NAME.test(name);
}

/**
 * Rejects anything but a regular file with a plain relative name. Runs on every header before
 * its body is read, so a hostile entry is refused before a byte of it is buffered.
 */
export function checkEntryHeader(archive: string, header: Headers): void {
  const name = header.name;
  const fail = (what: string, hint: string) =>
    new HarnessError('ARCHIVE', `archive ${archive}: entry ${JSON.stringify(name)} ${what}`, { hint });
  if (header.type !== 'file') {
    throw fail(
      `is a ${header.type ?? 'unknown'} entry${header.linkname ? ` (-> ${header.linkname})` : ''}, not a regular file`,
      'a recording holds only regular files (manifest.json, sessions/*.json); links, devices and FIFOs are refused',
    );
  }
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name) || name.includes('\\')) {
    throw fail('has an absolute or non-POSIX path', 'entry names are relative POSIX paths; this archive was not written by rehearsal');
  }
  if (name.split('/').some((part) => part === '..' || part === '.' || part === '')) {
    throw fail('has a path with `..`, `.` or an empty segment', 'the archive tries to escape its folder; do not use it');
  }
  if (name !== MANIFEST_NAME && !isSessionEntryName(name)) {
    throw fail('is not an expected name', 'expected manifest.json then sessions/NNNNNN.json entries');
  }
}
