import { eachMatch } from './patterns.ts';
import { detectNames } from './detect-context.ts';
import { detectAddresses, detectPostcodes } from './detect-places.ts';
import { detectSecrets } from './detect-secrets.ts';
import { detectAlnumIds, detectEmails, detectIbans, detectIps, detectNumeric } from './detect-structured.ts';
import type { Policy } from './policy.ts';
import { resolveOverlaps, type Span } from './span.ts';

/**
 * Every detector over one text, overlaps resolved (secrets first, then structured values,
 * then the longer span). Each detector is linear and skips itself when a cheap pre-filter
 * (`@`, a digit, a key prefix) says the text cannot contain its kind.
 */
export function detectAll(text: string, policy: Policy): Span[] {
  const spans: Span[] = [];
  detectSecrets(text, spans);
  detectEmails(text, spans);
  if (HAS_DIGIT.test(text)) {
    detectNumeric(text, spans);
    detectIbans(text, spans);
    detectIps(text, spans);
    detectAlnumIds(text, spans);
    detectAddresses(text, spans);
    detectPostcodes(text, spans);
  } else if (text.includes('::')) {
    detectIps(text, spans);
  }
  detectNames(text, spans);
  for (const rule of policy.rules) {
    for (const m of eachMatch(rule.pattern, text)) {
      if (m[0].length === 0) continue;
      const end = m.index + m[0].length;
      spans.push(
        rule.kind === 'secret'
          ? { start: m.index, end, kind: 'secret', type: rule.name, fromPolicy: true }
          : { start: m.index, end, kind: 'identity', type: `custom:${rule.name}`, fromPolicy: true },
      );
    }
  }
  return resolveOverlaps(spans);
}

const HAS_DIGIT = /\d/;
