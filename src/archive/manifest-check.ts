/** Parsing and consistency checks of `manifest.json`, shared by the reader and `verify`. */
import { HarnessError, errorMessage } from '../errors.ts';
import { Manifest } from '../model/index.ts';
import { isSessionEntryName } from './entry-names.ts';
import type { ArchiveLimits } from './limits.ts';
import { migrateManifest, planMigrations, type Migration } from './migrations.ts';
import { describeIssues } from './schema-issues.ts';

export interface ParsedManifest {
  manifest: Manifest;
  /** Migrations each session entry needs (empty for the current format). */
  steps: Migration[];
}

function schemaError(archive: string, what: string, hint: string): HarnessError {
  return new HarnessError('SCHEMA', `archive ${archive}: manifest.json ${what}`, { hint });
}

/** Parses, migrates and validates the manifest bytes; throws the first problem. */
export function parseManifest(archive: string, bytes: Buffer, limits: ArchiveLimits): ParsedManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw schemaError(archive, `is not valid JSON (${errorMessage(err)})`, 'the archive is damaged; run `rehearse verify` on it');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw schemaError(archive, 'is not a JSON object', 'the archive is damaged or not a rehearsal recording');
  }
  const record = raw as Record<string, unknown>;
  const steps = planMigrations(archive, record.formatVersion);
  const result = Manifest.safeParse(migrateManifest(record, steps));
  if (!result.success) {
    throw schemaError(archive, `does not match the manifest schema: ${describeIssues(result.error.issues)}`, 'the archive is damaged or was edited by hand');
  }
  const manifest = result.data;
  const problems = manifestProblems(manifest, limits);
  if (problems.length > 0) throw schemaError(archive, problems.join('; '), 'the archive is damaged or was edited by hand');
  return { manifest, steps };
}

/** Internal consistency of a schema-valid manifest: counts, names, sizes, duplicates. */
export function manifestProblems(manifest: Manifest, limits: ArchiveLimits): string[] {
  const problems: string[] = [];
  const { entries, counts } = manifest;
  if (entries.length > limits.maxEntries) problems.push(`lists ${entries.length} entries, more than the limit of ${limits.maxEntries}`);
  if (counts.sessions !== entries.length) problems.push(`counts ${counts.sessions} sessions but lists ${entries.length} entries`);
  const turns = entries.reduce((n, e) => n + e.turns, 0);
  if (counts.turns !== turns) problems.push(`counts ${counts.turns} turns but its entries add up to ${turns}`);
  const names = new Set<string>();
  const ids = new Set<string>();
  for (const entry of entries) {
    if (!isSessionEntryName(entry.name)) problems.push(`entry name ${JSON.stringify(entry.name)} is not sessions/NNNNNN.json`);
    if (names.has(entry.name)) problems.push(`lists entry ${entry.name} twice`);
    if (ids.has(entry.sessionId)) problems.push(`lists session ${entry.sessionId} twice`);
    if (entry.bytes > limits.maxEntryBytes) problems.push(`entry ${entry.name} declares ${entry.bytes} bytes, more than the limit of ${limits.maxEntryBytes}`);
    names.add(entry.name);
    ids.add(entry.sessionId);
  }
  return problems;
}

const block = (n: number) => Math.ceil(n / 512) * 512;

/**
 * Largest plausible uncompressed tar size for this manifest: headers, padded bodies, the end
 * blocks, plus slack for pax headers and the 10 KiB record padding other tar tools add.
 */
export function expectedTarBytes(manifest: Manifest, manifestBytes: number): number {
  const sessions = manifest.entries.reduce((n, e) => n + 512 + block(e.bytes), 0);
  return 512 + block(manifestBytes) + sessions + 1024 + 64 * 1024 + manifest.entries.length * 1024;
}
