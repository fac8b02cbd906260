/**
 * Street addresses and postcodes, in context: a street-type word next to a house number
 * (`221B Baker Street`, `Hauptstraße 5`, `12 rue de la Paix`, `Calle Mayor 5`), a UK
 * postcode, or a numeric postcode after a keyword, a US state or a comma and before a city.
 *
 * Each address shape has its own cheap gate (a digit next to a capital, a German street
 * suffix before a digit…), so the full pattern runs only on the few texts that can match,
 * and every repetition is bounded, so the scan stays linear.
 */
import { eachMatch, LETTER, UPPER } from './patterns.ts';
import type { Span } from './span.ts';

const EN_STREET = String.raw`(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Close|Crescent|Square|Sq|Parkway|Pkwy|Highway|Hwy|Row|Grove|Gardens|Walk|Loop|Circle|Cir|Trail|Trl|Path|Alley|Pike|Mews|Hill|Embankment|Quay|Wharf)`;
const WORD = `[${UPPER}][${LETTER}'’\\-]{1,30}`;
const NOT_AFTER = `(?![${LETTER}0-9])`;
const NOT_BEFORE = `(?<![${LETTER}0-9])`;

const ADDRESS_SHAPES: Array<{ gate: RegExp; pattern: RegExp }> = [
  {
    // 221B Baker Street, Apt 4
    gate: /\d[A-Za-z]?[ \t]+[A-Z]/,
    pattern: new RegExp(
      NOT_BEFORE +
        String.raw`\d{1,5}[A-Za-z]?[ \t]+(?:(?:N|S|E|W|North|South|East|West)\.?[ \t]+)?(?:${WORD}[ \t]+){1,3}${EN_STREET}\.?(?:,?[ \t]+(?:Apt|Suite|Unit|Flat|#)\.?[ \t]*[\w-]{1,6})?` +
        NOT_AFTER,
      'g',
    ),
  },
  {
    // Hauptstraße 5, Berliner Straße 12a
    gate: /(?:stra(?:ß|ss)e|str\.|weg|allee|platz|gasse|ring|damm|ufer)[ \t]+\d/i,
    pattern: new RegExp(
      NOT_BEFORE +
        String.raw`(?:${WORD}(?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer)|${WORD}[ \t](?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Ring|Damm))[ \t]+\d{1,4}[ \t]?[a-z]?` +
        NOT_AFTER,
      'g',
    ),
  },
  {
    // 12 rue de la Paix, 5 bis avenue Victor Hugo
    gate: /\d(?:[ \t]?(?:bis|ter))?,?[ \t]+(?:rue|av|bd|boulevard|place|allée|chemin|impasse|quai|route|cours)/i,
    pattern: new RegExp(
      NOT_BEFORE +
        String.raw`\d{1,4}(?:[ \t]?(?:bis|ter))?,?[ \t]+(?i:rue|avenue|av\.|boulevard|bd|place|allée|chemin|impasse|quai|route|cours)[ \t]+(?:(?:de la|de l'|du|des|de|d'|la|le|l')[ \t]?)?${WORD}(?:[ \t]+${WORD}){0,3}`,
      'g',
    ),
  },
  {
    // Calle Mayor 5, Rua Augusta, 1500, Via Roma 12
    gate: /(?:Calle|C\/|Avenida|Avda|Av\.|Paseo|Plaza|Carrer|Camino|Rua|Travessa|Praça|Alameda|Via|Viale|Piazza|Corso|Vicolo|Largo)[ \t.]/,
    pattern: new RegExp(
      NOT_BEFORE +
        String.raw`(?:Calle|C\/|Avenida|Avda\.?|Av\.|Paseo|Plaza|Carrer|Camino|Rua|Travessa|Praça|Alameda|Via|Viale|Piazza|Corso|Vicolo|Largo)[ \t]+(?:(?:de la|de los|de las|del|de|da|das|do|dos|della|delle|dei|di)[ \t]+)?${WORD}(?:[ \t]+(?:(?:de|da|do|di|del|della)[ \t]+)?${WORD}){0,3},?[ \t]+(?:n[ºo°]\.?[ \t]*)?\d{1,5}[A-Za-z]?` +
        NOT_AFTER,
      'g',
    ),
  },
];

/** Addresses; the caller has already checked that `text` holds a digit. */
export function detectAddresses(text: string, out: Span[]): void {
  for (const { gate, pattern } of ADDRESS_SHAPES) {
    if (!gate.test(text)) continue;
    for (const m of eachMatch(pattern, text)) out.push({ start: m.index, end: m.index + m[0].length, kind: 'identity', type: 'address' });
  }
}

const UK_POSTCODE = /(?<![A-Za-z0-9])[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}(?![A-Za-z0-9])/g;
const NUMERIC_POSTCODE = new RegExp(`(?<![${LETTER}0-9.,:\\-/#$€£])\\d{5,6}(?:-\\d{3,4})?(?![0-9]|[.,\\-/]\\d)`, 'g');
const POSTCODE_KEYWORD = /(?:zip(?: ?code)?|post(?:al)? ?code|postleitzahl|plz|cp|cap|cep|code postal|código postal|codigo postal|pin ?code|pin)\s?[:#]?\s?$/i;
const US_STATE = /\b(?:A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[TA]|W[AVIY])\s$/;

export function detectPostcodes(text: string, out: Span[]): void {
  if (/[A-Z]\d/.test(text)) {
    for (const m of eachMatch(UK_POSTCODE, text)) out.push({ start: m.index, end: m.index + m[0].length, kind: 'identity', type: 'postcode' });
  }
  if (!/\d{5}/.test(text)) return;
  for (const m of eachMatch(NUMERIC_POSTCODE, text)) {
    const before = text.slice(Math.max(0, m.index - 24), m.index);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 24);
    const sixDigits = /^\d{6}$/.test(m[0]);
    const ok =
      POSTCODE_KEYWORD.test(before) ||
      (!sixDigits && US_STATE.test(before)) ||
      (!sixDigits && /(?:,[ \t]?|\n|^)$/.test(before) && /^[ \t]\p{Lu}\p{Ll}{2,}/u.test(after)) ||
      (sixDigits && /\p{Lu}\p{Ll}{2,},?[ \t]$/u.test(before) && !/^[ \t]?\p{L}/u.test(after));
    if (ok) out.push({ start: m.index, end: m.index + m[0].length, kind: 'identity', type: 'postcode' });
  }
}
