/**
 * `unpack`: an archive as a folder of readable JSON (`manifest.json`, `sessions/NNNNNN.json`)
 * for code review and diffs. Pretty-printed, key order as stored (so `pack` gives the same
 * bytes back).
 *
 * Safety: every path is resolved and checked to stay inside the target; files are written to
 * a staging folder inside the target and moved into place only when the whole archive read
 * cleanly, so a corrupt or hostile archive leaves nothing behind.
 */
import { lstat, mkdir, mkdtemp, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { HarnessError, errorMessage } from '../errors.ts';
import type { Manifest } from '../model/index.ts';
import { TarArchiveReader, type ArchiveReadOptions } from './archive-reader.ts';
import { MANIFEST_NAME } from './entry-names.ts';

export interface UnpackOptions extends ArchiveReadOptions {
  /** Replace `manifest.json` and `sessions/` in a non-empty target. */
  force?: boolean;
}

/** Readable, diff-friendly JSON: two-space indent, trailing newline. */
export function prettyJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** `root/relative`, refusing anything that would resolve outside `root`. */
export function insideRoot(root: string, relative: string): string {
  const target = resolve(root, relative);
  if (!target.startsWith(root + sep)) {
    throw new HarnessError('ARCHIVE', `refusing to write ${JSON.stringify(relative)}: it resolves outside ${root}`, {
      hint: 'the archive names a path outside the target folder; do not use it',
    });
  }
  return target;
}

async function isEmptyOrMissing(dir: string): Promise<'missing' | 'empty' | 'non-empty'> {
  try {
    const stat = await lstat(dir);
    if (!stat.isDirectory()) {
      throw new HarnessError('IO', `unpack target ${dir} exists and is not a folder`, { hint: 'pass a folder path' });
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
  return (await readdir(dir)).length === 0 ? 'empty' : 'non-empty';
}

/** Unpacks `archive` into `dir`; returns its manifest. */
export async function unpackArchive(archive: string, dir: string, options: UnpackOptions = {}): Promise<Manifest> {
  const root = resolve(dir);
  const state = await isEmptyOrMissing(root);
  if (state === 'non-empty' && !options.force) {
    throw new HarnessError('USAGE', `unpack target ${root} is not empty`, { hint: 'pass an empty or new folder, or --force to replace its manifest.json and sessions/' });
  }
  const reader = await TarArchiveReader.open(archive, options);
  await mkdir(root, { recursive: true });
  const staging = await mkdtemp(join(root, '.rehearse-unpack-'));
  try {
    await mkdir(join(staging, 'sessions'));
    for await (const { entry, raw } of reader.entries()) {
      await writeFile(insideRoot(staging, entry.name), prettyJson(raw), { flag: 'wx' });
    }
    await writeFile(insideRoot(staging, MANIFEST_NAME), prettyJson(reader.manifest), { flag: 'wx' });
    if (options.force) {
      // rm does not follow symlinks: a planted `sessions -> /elsewhere` link is removed, not its target.
      await rm(join(root, 'sessions'), { recursive: true, force: true });
      await rm(join(root, MANIFEST_NAME), { force: true });
    }
    await rename(join(staging, 'sessions'), join(root, 'sessions'));
    await rename(join(staging, MANIFEST_NAME), join(root, MANIFEST_NAME));
    await rmdir(staging);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    if (state === 'missing') await rm(root, { recursive: true, force: true });
    if (err instanceof HarnessError) throw err;
    throw new HarnessError('IO', `cannot unpack ${archive} into ${root}: ${errorMessage(err)}`, { cause: err, hint: 'check that the folder is writable and has free space' });
  }
  return reader.manifest;
}
