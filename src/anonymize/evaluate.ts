/**
 * Measures the anonymizer on a labeled corpus (JSONL: `{type, text, value?}`, `type`
 * `negative` for lines that must come out unchanged). Used by the corpus test and the
 * benchmark, and handy to check a custom policy against your own examples.
 */
import { z } from 'zod';
import type { Anonymizer } from './index.ts';

export const CorpusLine = z.object({ type: z.string(), text: z.string(), value: z.string().optional() });
export type CorpusLine = z.infer<typeof CorpusLine>;

export interface CorpusReport {
  /** Per labeled type: lines, how many had their value fully removed, and the ratio. */
  recall: Record<string, { lines: number; caught: number; recall: number; missed: string[] }>;
  negatives: { lines: number; changed: number; rate: number; changedTexts: string[] };
}

export function parseCorpus(jsonl: string): CorpusLine[] {
  return jsonl
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => CorpusLine.parse(JSON.parse(l)));
}

/**
 * A positive is caught when its value no longer appears in the redacted text and, for names,
 * none of its words does either (replacing "John" but keeping "Carter" is a miss). A negative
 * is a false positive when redaction changes it at all. Each line gets a fresh anonymizer, so
 * names learned on one line do not help another.
 */
export function evaluateCorpus(lines: CorpusLine[], makeAnonymizer: () => Anonymizer): CorpusReport {
  const recall: CorpusReport['recall'] = {};
  const negatives: CorpusReport['negatives'] = { lines: 0, changed: 0, rate: 0, changedTexts: [] };
  for (const line of lines) {
    const out = makeAnonymizer().redactText(line.text);
    if (line.type === 'negative') {
      negatives.lines++;
      if (out !== line.text) {
        negatives.changed++;
        negatives.changedTexts.push(line.text);
      }
      continue;
    }
    const entry = (recall[line.type] ??= { lines: 0, caught: 0, recall: 0, missed: [] });
    entry.lines++;
    const value = line.value ?? line.text;
    const words = line.type === 'name' ? value.split(/\s+/).filter((w) => w.length > 1) : [];
    const leaked = out.includes(value) || words.some((w) => new RegExp(`(?<![\\p{L}])${w}(?![\\p{L}])`, 'u').test(out));
    if (leaked) entry.missed.push(line.text);
    else entry.caught++;
  }
  for (const e of Object.values(recall)) e.recall = e.caught / e.lines;
  negatives.rate = negatives.lines === 0 ? 0 : negatives.changed / negatives.lines;
  return { recall, negatives };
}
