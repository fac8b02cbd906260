/**
 * `pack`: the inverse of `unpack`. Reads `<dir>/manifest.json` for what is not derived from
 * the sessions (creation time, generator, anonymization policy) and `<dir>/sessions/*.json` in
 * numeric order, validates every file, and writes the archive. Byte-stable: the same folder
 * always gives the same bytes (fixed header fields, createdAt from the manifest, stable
 * order), and unpack → pack reproduces the original archive exactly.
 */
import { lstat, readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HarnessError, errorMessage } from '../errors.ts';
import { FORMAT_VERSION, Manifest, Session } from '../model/index.ts';
import { writeArchive } from './index.ts';
import { describeIssues } from './schema-issues.ts';

const SESSION_FILE = /^(\d{6,})\.json$/;

async function readJsonFile(path: string, what: string): Promise<unknown> {
  let stat;
  try {
    stat = await lstat(path);
  } catch (err) {
    throw new HarnessError('IO', `cannot read ${what} ${path}: ${errorMessage(err)}`, { cause: err, hint: 'pack a folder written by `rehearse unpack`' });
  }
  if (!stat.isFile()) {
    throw new HarnessError('IO', `${what} ${path} is not a regular file`, { hint: 'symlinks and other special files are refused' });
  }
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HarnessError('SCHEMA', `${what} ${path} is not valid JSON (${errorMessage(err)})`, { hint: 'fix the file by hand or unpack the recording again' });
  }
}

/** Session files of `<dir>/sessions`, in numeric order; refuses anything unexpected there. */
async function sessionFiles(sessionsDir: string): Promise<string[]> {
  let stat;
  try {
    stat = await lstat(sessionsDir);
  } catch (err) {
    throw new HarnessError('IO', `cannot read ${sessionsDir}: ${errorMessage(err)}`, { cause: err, hint: 'pack a folder written by `rehearse unpack`' });
  }
  if (!stat.isDirectory()) throw new HarnessError('IO', `${sessionsDir} is not a folder`, { hint: 'symlinks are refused' });
  const names: Array<{ name: string; n: number }> = [];
  for (const entry of await readdir(sessionsDir, { withFileTypes: true })) {
    const match = SESSION_FILE.exec(entry.name);
    if (!entry.isFile() || !match) {
      throw new HarnessError('IO', `unexpected ${entry.isFile() ? 'file' : 'entry'} ${join(sessionsDir, entry.name)}`, {
        hint: 'sessions/ holds only regular files named NNNNNN.json; move anything else out',
      });
    }
    names.push({ name: entry.name, n: Number(match[1]) });
  }
  return names.sort((a, b) => a.n - b.n).map((x) => join(sessionsDir, x.name));
}

async function* sessionsOf(files: string[]): AsyncGenerator<Session> {
  for (const file of files) {
    const raw = await readJsonFile(file, 'session file');
    const result = Session.safeParse(raw);
    if (!result.success) {
      throw new HarnessError('SCHEMA', `session file ${file} does not match the session schema: ${describeIssues(result.error.issues)}`, {
        hint: 'fix the file; `rehearse inspect --session <id> --json` on a sound recording shows the expected shape',
      });
    }
    // The parsed file, not zod's copy, is written: its key order (and so the bytes) follow the file.
    yield raw as Session;
  }
}

/** Packs an unpacked recording folder into `archive` (gzip when it ends in .gz / .tgz). */
export async function packDirectory(dir: string, archive: string): Promise<Manifest> {
  const root = resolve(dir);
  const manifestPath = join(root, 'manifest.json');
  const parsed = Manifest.safeParse(await readJsonFile(manifestPath, 'manifest'));
  if (!parsed.success) {
    throw new HarnessError('SCHEMA', `manifest ${manifestPath} does not match the manifest schema: ${describeIssues(parsed.error.issues)}`, {
      hint: 'only createdAt, generator and anonymization are taken from it; fix those fields',
    });
  }
  if (parsed.data.formatVersion !== FORMAT_VERSION) {
    throw new HarnessError('SCHEMA', `manifest ${manifestPath} has format version ${parsed.data.formatVersion}; pack writes ${FORMAT_VERSION}`, {
      hint: 'unpack the recording with this rehearsal version (it migrates older formats), then pack',
    });
  }
  const files = await sessionFiles(join(root, 'sessions'));
  return writeArchive(archive, sessionsOf(files), {
    generator: parsed.data.generator,
    anonymization: parsed.data.anonymization,
    createdAt: new Date(parsed.data.createdAt),
  });
}
