/**
 * Defect switches of the demo app. Each one re-enables a bug that real AI apps ship, so that
 * rehearsal has something true to find. All are off by default; the fixed app is what runs
 * with an empty set.
 */
export const ALL_DEFECTS = [
  'history-truncation',
  'profile-cache',
  'retry-storm',
  'no-retrieval-timeout',
  'schema-rename',
] as const;

export type DefectName = (typeof ALL_DEFECTS)[number];

/** One line per defect, for `--help` texts and the README. */
export const DEFECT_DESCRIPTIONS: Readonly<Record<DefectName, string>> = {
  'history-truncation': 'past 3 turns, only the last 2 exchanges of history reach the model',
  'profile-cache': 'concurrent account lookups share one in-flight request keyed by tool name, not email',
  'retry-storm': 'a failing tool is retried 8 times with no backoff, then a ticket is filed with the raw error and the reply claims success',
  'no-retrieval-timeout': 'retrieval is called without a timeout, so a slow index stalls the whole turn',
  'schema-rename': 'refund and non-English turns use a forked triage prompt that emits `priority` instead of `urgency`',
};

export function isDefectName(value: string): value is DefectName {
  return (ALL_DEFECTS as readonly string[]).includes(value);
}

/**
 * Parses the `DEFECTS` environment value: a comma list of names, `all`, `none` or empty.
 * Throws on an unknown name rather than ignoring it: a typo must not silently run the fixed app.
 */
export function parseDefects(spec: string | undefined): Set<DefectName> {
  const trimmed = (spec ?? '').trim();
  if (trimmed === '' || trimmed === 'none') return new Set();
  if (trimmed === 'all') return new Set(ALL_DEFECTS);
  const result = new Set<DefectName>();
  for (const raw of trimmed.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (!isDefectName(name)) {
      throw new Error(
        `unknown defect "${name}" in DEFECTS="${spec}"; expected a comma list of ${ALL_DEFECTS.join(', ')}, or "all" or "none"`,
      );
    }
    result.add(name);
  }
  return result;
}
