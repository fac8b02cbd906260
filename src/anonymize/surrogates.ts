/**
 * Format-preserving surrogates from reserved ranges, and the recognisers that tell a
 * surrogate from a real value (so a second pass, `rehearse scan` and the rekeyer agree on
 * what is already anonymized without needing the key).
 *
 * | type        | surrogate                                                        |
 * |-------------|------------------------------------------------------------------|
 * | email       | `<pseudonym>.<hex6>@<word>.example`                              |
 * | phone       | same separators and country code, last 7 digits `555 01dd`       |
 * | card        | brand digit + `00000` + random + Luhn digit (test-card style)    |
 * | iban        | same country and length, BBAN starts `0000`, valid mod-97        |
 * | ipv4 / ipv6 | RFC 5737 (then 198.18.0.0/15) / RFC 3849 `2001:db8::/32`         |
 * | national_id | same shape, never-issued SSN area `000`, UK `QQ`, others failing their checksum |
 * | name        | invented pseudonym (hyphenated pairs, then triples, when taken)  |
 * | address     | same numbers' length and street-type words, fictional street     |
 * | postcode    | same shape, numeric `00…`, UK `ZZ…` (ranges no post office uses) |
 * | custom:*    | same shape: letters → letters, digits → digits                  |
 */
import type { IdentityType } from '../model/index.ts';
import type { Rng } from '../util/rng.ts';
import type { NameSlot } from './span.ts';
import {
  cpfValid,
  digitsOf,
  dniValid,
  ibanCheckDigits,
  luhnCheckDigit,
  nirValid,
  verhoeffValid,
} from './validators.ts';
import { FICTIONAL_STREETS, PSEUDO_FIRST, PSEUDO_LAST, STREET_TYPES } from './word-lists.ts';

const FIRST_SET = new Set(PSEUDO_FIRST);
const LAST_SET = new Set(PSEUDO_LAST);
const STREET_SET = new Set(FICTIONAL_STREETS);
const HEX = '0123456789abcdef';

const hex = (rng: Rng, n: number): string => Array.from({ length: n }, () => HEX[rng.int(0, 15)]).join('');
const digit = (rng: Rng, min = 0): string => String(rng.int(min, 9));

/** Replaces each digit of `template` in turn with the next char of `digits`, keeping separators. */
function fillDigits(template: string, digits: string): string {
  let i = 0;
  return template.replace(/\d/g, () => digits[i++] ?? '0');
}

/** Same shape: upper → upper, lower → lower, digit → digit; punctuation kept. */
function shapeLike(value: string, rng: Rng): string {
  return value.replace(/[A-Z]|[a-z]|\d/g, (ch) =>
    /\d/.test(ch) ? digit(rng) : String.fromCharCode((/[A-Z]/.test(ch) ? 65 : 97) + rng.int(0, 25)),
  );
}

/**
 * A surrogate for `original` of `type`. `attempt` widens the space when earlier attempts
 * collided (names switch to hyphenated pairs, IPv4 to the benchmarking range).
 */
export function makeSurrogate(type: IdentityType, original: string, rng: Rng, attempt: number, slot: NameSlot = 'first'): string {
  switch (type) {
    case 'email':
      return `${rng.pick(PSEUDO_FIRST).toLowerCase()}.${hex(rng, 6)}@${rng.pick(FICTIONAL_STREETS).toLowerCase()}.example`;
    case 'phone':
      return phoneSurrogate(original, rng);
    case 'card':
      return cardSurrogate(original, rng);
    case 'iban':
      return ibanSurrogate(original, rng);
    case 'ipv4':
      return attempt < 8
        ? `${rng.pick(['192.0.2', '198.51.100', '203.0.113'])}.${rng.int(1, 254)}`
        : `198.${rng.int(18, 19)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
    case 'ipv6':
      return `2001:db8:${Array.from({ length: 6 }, () => hex(rng, 4).replace(/^0+(?=.)/, '')).join(':')}`;
    case 'national_id':
      return nationalIdSurrogate(original, rng);
    case 'name':
      return nameSurrogate(original, rng, attempt, slot);
    case 'address':
      return addressSurrogate(original, rng);
    case 'postcode':
      return postcodeSurrogate(original, rng);
    default:
      return shapeLike(original, rng);
  }
}

function phoneSurrogate(original: string, rng: Rng): string {
  const digits = digitsOf(original);
  // Keep the country code (digits before the first separator after '+') and a trunk '0'.
  const cc = original.startsWith('+') ? (/^\+(\d{1,3})/.exec(original)?.[1] ?? '') : '';
  const keep = cc.length + (digits[cc.length] === '0' ? 1 : 0);
  const free = digits.length - keep;
  const tail = free >= 7 ? `55501${digit(rng)}${digit(rng)}` : '';
  let middle = '';
  for (let i = 0; i < free - tail.length; i++) middle += digit(rng, i === 0 ? 2 : 0);
  return fillDigits(original, digits.slice(0, keep) + middle + tail);
}

function cardSurrogate(original: string, rng: Rng): string {
  const digits = digitsOf(original);
  let body = `${digits[0]}00000`;
  while (body.length < digits.length - 1) body += digit(rng);
  return fillDigits(original, body + luhnCheckDigit(body));
}

function ibanSurrogate(original: string, rng: Rng): string {
  const compact = original.replace(/ /g, '');
  const country = compact.slice(0, 2);
  const bban = `0000${shapeLike(compact.slice(8), rng)}`;
  const iban = `${country}${ibanCheckDigits(country, bban)}${bban}`;
  return original.includes(' ') ? iban.replace(/(.{4})(?=.)/g, '$1 ') : iban;
}

function nationalIdSurrogate(original: string, rng: Rng): string {
  if (/^\d{3}-\d{2}-\d{4}$/.test(original)) return `000-${digit(rng, 1)}${digit(rng)}-${digit(rng, 1)}${digit(rng)}${digit(rng)}${digit(rng)}`;
  if (/^[A-Z]{2} ?\d/.test(original)) return `QQ${shapeLike(original.slice(2), rng)}`; // UK NINO: QQ is never issued
  // Checksummed ids: same shape, and a checksum that fails, so no real person can hold it.
  // A random candidate passes one of these checks about one time in ten.
  for (let i = 0; i < 100; i++) {
    const candidate = shapeLike(original, rng);
    const compact = candidate.replace(/[^A-Z0-9]/g, '');
    const d = digitsOf(candidate);
    if (!cpfValid(d) && !verhoeffValid(d) && !nirValid(d) && !dniValid(compact)) return candidate;
  }
  throw new RangeError(`no checksum-failing surrogate found for a ${original.length}-character id`);
}

function nameSurrogate(original: string, rng: Rng, attempt: number, slot: NameSlot): string {
  const list = slot === 'first' ? PSEUDO_FIRST : PSEUDO_LAST;
  // ~100 single words, then ~10k pairs, then ~1M triples: room for every clone's names.
  const parts = attempt < 4 ? 1 : attempt < 16 ? 2 : 3;
  const word = Array.from({ length: parts }, () => rng.pick(list)).join('-');
  return original === original.toUpperCase() && original.length > 1 ? word.toUpperCase() : word;
}

const GERMAN_STREET_SUFFIX = /(?:straße|strasse|str|weg|allee|platz|gasse|ring|damm|ufer)$/;

function addressSurrogate(original: string, rng: Rng): string {
  return original
    .replace(/\d+/g, (n) => digit(rng, 1) + Array.from({ length: n.length - 1 }, () => digit(rng)).join(''))
    .replace(/\p{Lu}[\p{L}'’\-]+/gu, (w) => {
      if (STREET_TYPES.has(w) || /^(?:Apt|Suite|Unit|Flat)$/.test(w)) return w;
      return rng.pick(FICTIONAL_STREETS) + (GERMAN_STREET_SUFFIX.exec(w)?.[0] ?? '');
    });
}

function postcodeSurrogate(original: string, rng: Rng): string {
  if (/^[A-Z]/.test(original)) return `ZZ${shapeLike(original.replace(/^[A-Z]{1,2}/, ''), rng)}`;
  return `00${digitsOf(shapeLike(original, rng)).slice(2)}`.replace(/^(\d{5})(\d{3,4})$/, (_, a: string, b: string) =>
    original.includes('-') ? `${a}-${b}` : a + b,
  );
}

/** Whether `value` is already a surrogate of `type` (reserved range or invented word). */
export function isSurrogate(type: IdentityType, value: string): boolean {
  switch (type) {
    case 'email':
      return /@(?:[^@]*\.)?(?:example|test|invalid|localhost)$|@example\.(?:com|net|org)$/i.test(value);
    case 'phone':
      return /55501\d\d$/.test(digitsOf(value));
    case 'card':
      return digitsOf(value).slice(1, 6) === '00000';
    case 'iban':
      return value.replace(/ /g, '').slice(4, 8) === '0000';
    case 'ipv4':
      return /^(?:192\.0\.2|198\.51\.100|203\.0\.113|198\.1[89])\./.test(value);
    case 'ipv6':
      return /^2001:0?db8:/i.test(value);
    case 'national_id':
      return /^000-|^QQ/.test(value);
    case 'name':
      return value.split('-').every((w) => FIRST_SET.has(w) || LAST_SET.has(w) || FIRST_SET.has(cap(w)) || LAST_SET.has(cap(w)));
    case 'address': {
      const words = (value.match(/\p{Lu}[\p{L}'’\-]+/gu) ?? []).filter((w) => !STREET_TYPES.has(w) && !/^(?:Apt|Suite|Unit|Flat)$/.test(w));
      return words.length > 0 && words.every((w) => STREET_SET.has(w) || STREET_SET.has(w.replace(GERMAN_STREET_SUFFIX, '')));
    }
    case 'postcode':
      return /^(?:00|ZZ)/.test(value);
    default:
      return false;
  }
}

const cap = (w: string): string => w.charAt(0) + w.slice(1).toLowerCase();
