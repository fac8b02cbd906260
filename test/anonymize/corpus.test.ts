import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAnonymizer } from '../../src/anonymize/index.ts';
import { evaluateCorpus, parseCorpus } from '../../src/anonymize/evaluate.ts';
import { KEY } from './fixture.ts';

const corpus = parseCorpus(readFileSync(new URL('../fixtures/pii-corpus.jsonl', import.meta.url), 'utf8'));
const report = evaluateCorpus(corpus, () => createAnonymizer({ key: KEY }));

const STRUCTURED = ['email', 'phone', 'card', 'iban', 'ipv4', 'ipv6', 'national_id', 'secret'];
const CONTEXTUAL = ['name', 'address', 'postcode'];

describe('labeled PII corpus', () => {
  it('has every type, ≥ 400 lines and ≥ 150 hard negatives', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(400);
    expect(report.negatives.lines).toBeGreaterThanOrEqual(150);
    for (const type of [...STRUCTURED, ...CONTEXTUAL]) expect(report.recall[type]?.lines ?? 0, type).toBeGreaterThanOrEqual(10);
  });

  it.each(STRUCTURED)('recall of %s ≥ 99.5%', (type) => {
    const r = report.recall[type];
    expect(r?.missed, `missed ${type}`).toEqual([]);
    expect(r?.recall).toBeGreaterThanOrEqual(0.995);
  });

  it.each(CONTEXTUAL)('recall of %s ≥ 95%', (type) => {
    expect(report.recall[type]?.recall, `missed: ${JSON.stringify(report.recall[type]?.missed)}`).toBeGreaterThanOrEqual(0.95);
  });

  it('changes ≤ 2% of the hard negatives (order ids, versions, dates, UUIDs, hashes, prices, ISBNs, ports)', () => {
    expect(report.negatives.rate, `changed: ${JSON.stringify(report.negatives.changedTexts)}`).toBeLessThanOrEqual(0.02);
  });
});
