/**
 * The importer seam: a file of some foreign format in, recorded sessions out (raw — the caller
 * anonymizes). Built-ins live in a typed name → importer map.
 */
import type { Session } from '../model/index.ts';
import type { ValueSource } from '../record/value-source.ts';

export interface ImportOptions {
  /** Where a request names its session (HAR); default: one session per file. */
  sessionFrom?: ValueSource;
  inputFrom?: ValueSource;
  replyFrom?: ValueSource;
  /** Dependency name → base URL: entries under these are exchanges, not turns (HAR). */
  deps?: Record<string, string>;
  /** Name used for a file-wide session when nothing names one. */
  defaultSessionId: string;
}

/** What an importer could not place, reported rather than guessed. */
export interface ImportReport {
  /** Dependency calls no single turn's time window contained. */
  unattributed: number;
  /** Entries skipped (assets, unparsable spans), with why. */
  skipped: number;
  warnings: string[];
}

export interface Importer {
  readonly format: string;
  import(text: string, options: ImportOptions, report: ImportReport): AsyncIterable<Session>;
}

export function emptyReport(): ImportReport {
  return { unattributed: 0, skipped: 0, warnings: [] };
}
