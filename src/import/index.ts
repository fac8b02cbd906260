/**
 * Importers: foreign captures (HAR, OTLP GenAI traces) → recordings, anonymized unless raw.
 */
import { writeArchive } from '../archive/index.ts';
import { withoutSessionKey, type Anonymizer } from '../anonymize/index.ts';
import { errorMessage, HarnessError } from '../errors.ts';
import type { Manifest, Session } from '../model/index.ts';
import { harImporter } from './har.ts';
import { emptyReport, type Importer, type ImportOptions, type ImportReport } from './importer.ts';
import { otlpImporter } from './otlp.ts';

export type { Importer, ImportOptions, ImportReport } from './importer.ts';

/** Built-in importers by format name. */
export const IMPORTERS = { har: harImporter, otlp: otlpImporter } as const satisfies Record<string, Importer>;
export type ImportFormat = keyof typeof IMPORTERS;

export interface ImportToArchiveOptions extends ImportOptions {
  out: string;
  /** Absent: a raw recording (`policyId: none`) for a later `rehearse anonymize`. */
  anonymizer?: Anonymizer;
  pseudonymizeId?: (productionId: string) => string;
  generator?: string;
}

export interface ImportResult {
  manifest: Manifest;
  report: ImportReport;
  /** Sessions dropped because their anonymization failed (fail closed). */
  dropped: number;
}

/** Imports `text` in `format` and writes the recording (sessions anonymized one by one). */
export async function importToArchive(format: ImportFormat, text: string, options: ImportToArchiveOptions): Promise<ImportResult> {
  const importer = IMPORTERS[format];
  if (!importer) throw new HarnessError('USAGE', `unknown import format ${JSON.stringify(format)}`, { hint: `one of ${Object.keys(IMPORTERS).join(', ')}` });
  const report = emptyReport();
  const safe: Session[] = [];
  let dropped = 0;
  for await (const raw of importer.import(text, options, report)) {
    if (!options.anonymizer) {
      safe.push(raw);
      continue;
    }
    try {
      safe.push(withoutSessionKey(options.anonymizer.anonymizeSession(raw), raw.id, options.pseudonymizeId));
    } catch (err) {
      dropped++;
      report.warnings.push(`session dropped: anonymization failed (${errorMessage(err)})`);
    }
  }
  const anonymization = options.anonymizer
    ? { policyId: options.anonymizer.policyId, keyId: options.anonymizer.keyId, droppedSessions: dropped }
    : { policyId: 'none', droppedSessions: 0 };
  const manifest = await writeArchive(options.out, safe, { anonymization, generator: options.generator ?? `rehearse import ${format}` });
  return { manifest, report, dropped };
}
