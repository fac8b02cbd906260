/**
 * Safety limits for reading archives. A recording may come from anywhere (a support ticket, a
 * colleague's laptop), so every size the archive declares is checked against these before
 * anything is buffered.
 */
export interface ArchiveLimits {
  /** Most session entries an archive may hold. */
  maxEntries: number;
  /** Largest single session entry, in bytes. */
  maxEntryBytes: number;
  /** Largest `manifest.json`, in bytes. */
  maxManifestBytes: number;
  /** Most uncompressed tar bytes read in total. */
  maxTotalBytes: number;
  /** Most uncompressed bytes per compressed byte of a gzip archive (zip-bomb guard)… */
  maxExpansionRatio: number;
  /** …checked once this many uncompressed bytes were read (tiny archives compress oddly). */
  expansionGraceBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  maxEntries: 1_000_000,
  maxEntryBytes: 256 * MiB,
  maxManifestBytes: 256 * MiB,
  maxTotalBytes: 64 * 1024 * MiB,
  maxExpansionRatio: 200,
  expansionGraceBytes: 4 * MiB,
});

export function resolveLimits(limits: Partial<ArchiveLimits> | undefined): ArchiveLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}
