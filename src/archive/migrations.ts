/**
 * Format migrations: how a reader of today loads a recording written by an older rehearsal.
 *
 * Each step upgrades the raw JSON of one format version to the next, the manifest once and
 * every session entry by entry (so a migration streams like a read). Steps run before schema
 * validation; checksums are verified on the stored bytes, before any migration. Format 1 is
 * the first released version, so the table is empty; when format 2 arrives, add
 * `{ from: 1, to: 2, … }` here, bump FORMAT_VERSION, and commit a format-2 golden archive
 * beside the format-1 ones in test/fixtures/golden/ (which must keep loading forever).
 */
import { HarnessError } from '../errors.ts';
import { FORMAT_VERSION } from '../model/index.ts';

export interface Migration {
  from: number;
  to: number;
  /** What changed, for `inspect` and error messages. */
  description: string;
  manifest(raw: Record<string, unknown>): Record<string, unknown>;
  session(raw: unknown): unknown;
}

/** Every migration, oldest first. */
export const MIGRATIONS: readonly Migration[] = [];

/**
 * The steps that bring `version` up to `current`, in order. Throws for a version newer than
 * this reader or one with no path.
 */
export function planMigrations(
  archive: string,
  version: unknown,
  table: readonly Migration[] = MIGRATIONS,
  current: number = FORMAT_VERSION,
): Migration[] {
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new HarnessError('SCHEMA', `archive ${archive}: manifest.json has no valid formatVersion (${JSON.stringify(version)})`, {
      hint: 'the manifest is damaged or was not written by rehearsal',
    });
  }
  if (version > current) {
    throw new HarnessError('ARCHIVE', `archive ${archive} has format version ${version}; this rehearsal reads up to ${current}`, {
      hint: 'upgrade rehearsal to read this recording',
    });
  }
  const steps: Migration[] = [];
  for (let v = version; v < current; ) {
    const step = table.find((m) => m.from === v);
    if (!step) {
      throw new HarnessError('INTERNAL', `archive ${archive}: no migration from format version ${v}`, {
        hint: 'this is a bug in rehearsal: a format version was released without its migration',
      });
    }
    steps.push(step);
    v = step.to;
  }
  return steps;
}

export function migrateManifest(raw: Record<string, unknown>, steps: readonly Migration[]): Record<string, unknown> {
  return steps.reduce((m, step) => ({ ...step.manifest(m), formatVersion: step.to }), raw);
}

export function migrateSession(raw: unknown, steps: readonly Migration[]): unknown {
  return steps.reduce((s, step) => step.session(s), raw);
}
