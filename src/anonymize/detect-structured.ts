/**
 * Structured identity detectors: email, phone, card, IBAN, IP addresses, national ids.
 *
 * Linear time by construction: every pattern starts behind a negative lookbehind that
 * forbids starting inside a run of the characters it consumes (so a 4 MB digit soup or an
 * `a.a.a.` chain offers one start per run, not one per character), and every quantifier is
 * bounded and separated from its neighbours by a mandatory separator class it cannot match
 * (so backtracking inside one start is bounded by a constant). Checksums and shape rules
 * run only on the few candidates the patterns yield.
 */
import { isIPv6 } from 'node:net';
import { eachMatch, LETTER } from './patterns.ts';
import type { Span } from './span.ts';
import { phoneContext } from './word-lists.ts';
import {
  cpfValid,
  digitsOf,
  dniValid,
  ibanLength,
  ibanValid,
  isbn13Valid,
  luhnValid,
  nirValid,
  plausibleCard,
  ssnValid,
  verhoeffValid,
} from './validators.ts';

const EMAIL =
  /(?<![\w.%+\-@])[A-Za-z0-9_%+\-](?:[A-Za-z0-9._%+\-]{0,63})(?:@|%40)(?:[A-Za-z0-9\-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![\w\-]|\.[A-Za-z0-9])/g;

/**
 * A run of digits with phone/card/id separators, optionally `+cc` or `(area)` first. It
 * cannot start after a letter, digit or id punctuation, nor end before them: the digit runs
 * of UUIDs, hashes, versions, order ids and ports are never candidates.
 */
const NUMERIC = new RegExp(
  String.raw`(?<![${LETTER}0-9_.+\-/@#$€£%])(?:\+\d{1,3}[ .\-]?)?(?:\(\d{1,5}\)[ .\-]?)?\d{1,19}(?:(?: |-|\.|\/| - )\d{1,19}){0,7}(?![${LETTER}0-9_%]|[.\-/,:]\d)`,
  'g',
);

const IBAN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,30}(?![A-Za-z0-9])/g;

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![\\w.])${OCTET}(?:\\.${OCTET}){3}(?![\\w]|\\.\\d)`, 'g');
/** Two hex digits around a colon, or `::`: cheap to find, and every IPv6 address has one. */
const IPV6_HINT = /[0-9A-Fa-f]:[0-9A-Fa-f]|::/;
const IPV6 = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:.])/g;

/** UK National Insurance number, Spanish DNI / NIE. */
const ALNUM_ID =
  /(?<![A-Za-z0-9])(?:(?<nino>[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D])|(?<dni>[XYZ]?-?\d{7,8}-?[A-Z]))(?![A-Za-z0-9])/g;

const ALNUM_ID_HINT = /\d{7}|[A-Z]{2} ?\d\d/;
const VERSION_BEFORE = /(?:\bv|version|release|build|ver\.?)\s*$/i;
const NATIONAL_ID_CONTEXT = /(?:ssn|social security|cpf|aadhaar|aadhar|nir|sécurité sociale|secu)\W{0,12}$/i;

export function detectEmails(text: string, out: Span[]): void {
  if (!text.includes('@') && !text.includes('%40')) return;
  for (const m of eachMatch(EMAIL, text)) out.push({ start: m.index, end: m.index + m[0].length, kind: 'identity', type: 'email' });
}

export function detectNumeric(text: string, out: Span[]): void {
  for (const m of eachMatch(NUMERIC, text)) {
    const raw = m[0];
    if (raw.length < 9) continue; // too short for any of the kinds below
    const type = classifyNumeric(raw, text.slice(Math.max(0, m.index - 40), m.index));
    if (type) out.push({ start: m.index, end: m.index + raw.length, kind: 'identity', type });
  }
}

/** Decides what a digit run is, from its digits, its grouping and the words before it. */
export function classifyNumeric(raw: string, before: string): 'phone' | 'card' | 'national_id' | undefined {
  const digits = digitsOf(raw);
  const n = digits.length;
  if (n < 9 && !(n === 8 && raw.startsWith('+'))) return undefined; // shorter than any phone, card or id
  const seps = new Set(raw.replace(/[\d+()]/g, '').replace(/ - /g, '-'));
  if (/^\d{3}-\d{2}-\d{4}$/.test(raw)) return ssnValid(digits) ? 'national_id' : undefined;
  if (/^(?:\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})(?:\s|$)/.test(raw)) return undefined; // a date (maybe with a time)
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(raw)) return undefined; // IPv4, handled elsewhere
  if (/^\d{3}\.\d{3}\.\d{3}-\d{2}$/.test(raw)) return cpfValid(digits) ? 'national_id' : undefined;
  if (/^[2-9]\d{3} \d{4} \d{4}$/.test(raw) && verhoeffValid(digits)) return 'national_id';
  if (/^[12](?: ?\d{2}){3} ?\d{3} ?\d{3} ?\d{2}$/.test(raw) && nirValid(digits)) return 'national_id';
  const ctx = before.slice(-24);
  if (n === 9 && seps.size === 0 && NATIONAL_ID_CONTEXT.test(ctx) && ssnValid(digits)) return 'national_id';
  if (n === 11 && NATIONAL_ID_CONTEXT.test(ctx) && cpfValid(digits)) return 'national_id';
  if (n >= 12 && n <= 19 && seps.size <= 1 && !seps.has('.') && !raw.startsWith('+')) {
    if (isbn13Valid(digits)) return undefined;
    if (plausibleCard(digits) && luhnValid(digits)) return 'card';
    if (n >= 13) return undefined; // a long number that is no card: an id, a timestamp
  }
  if (VERSION_BEFORE.test(before)) return undefined;
  return phoneShape(raw, digits, before) ? 'phone' : undefined;
}

function phoneShape(raw: string, digits: string, before: string): boolean {
  const n = digits.length;
  if (raw.includes('/') && !/^\(?0\d{1,5}\)?\/\d/.test(raw)) return false; // a/b only as German 030/1234567
  if (raw.startsWith('+')) return n >= 8 && n <= 15;
  if (raw.startsWith('(')) return n >= 9 && n <= 12;
  if (raw.startsWith('0') && raw[1] !== '0') return n >= 9 && n <= 12 && (/[ .\-/]/.test(raw) || n >= 10);
  if (/^[2-9]\d{2}[ .\-][2-9]\d{2}[ .\-]\d{4}$/.test(raw)) return true; // NANP 415-867-5309
  if (/^[6-9]\d{4} \d{5}$/.test(raw)) return true; // India 98765 43210
  if (/^[6-9]\d{2}(?: \d{2,3}){2,3}$/.test(raw) && n === 9) return true; // Spain 612 345 678 / 912 34 56 78
  return n >= 9 && n <= 12 && phoneContext(before);
}

export function detectIbans(text: string, out: Span[]): void {
  for (const m of eachMatch(IBAN, text)) {
    // The pattern may run into the next word; cut the candidate at the country's length.
    const want = ibanLength(m[0].slice(0, 2));
    if (!want) continue;
    let seen = 0;
    let end = 0;
    while (end < m[0].length && seen < want) if (m[0][end++] !== ' ') seen++;
    const candidate = m[0].slice(0, end);
    if (seen === want && ibanValid(candidate.replace(/ /g, ''))) {
      out.push({ start: m.index, end: m.index + end, kind: 'identity', type: 'iban' });
    }
  }
}

export function detectIps(text: string, out: Span[]): void {
  if (text.includes('.')) {
    for (const m of text.matchAll(IPV4)) {
      if (VERSION_BEFORE.test(text.slice(Math.max(0, m.index - 12), m.index))) continue;
      if (/^(?:127\.|0\.0\.0\.0$)/.test(m[0])) continue; // loopback and "any" are not anyone's address
      out.push({ start: m.index, end: m.index + m[0].length, kind: 'identity', type: 'ipv4' });
    }
  }
  if (IPV6_HINT.test(text)) {
    for (const m of text.matchAll(IPV6)) {
      const v = m[0];
      if (v.length < 3 || v === '::' || v === '::1' || !isIPv6(v)) continue;
      out.push({ start: m.index, end: m.index + v.length, kind: 'identity', type: 'ipv6' });
    }
  }
}

export function detectAlnumIds(text: string, out: Span[]): void {
  if (!ALNUM_ID_HINT.test(text)) return;
  for (const m of eachMatch(ALNUM_ID, text)) {
    const g = m.groups ?? {};
    const ok = g.nino !== undefined ? !/^(?:BG|GB|NK|KN|TN|NT|ZZ)/.test(g.nino) : dniValid((g.dni ?? '').replace(/-/g, ''));
    if (ok) out.push({ start: m.index, end: m.index + m[0].length, kind: 'identity', type: 'national_id' });
  }
}
