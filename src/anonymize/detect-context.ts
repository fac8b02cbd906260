/**
 * Context detectors: person names, street addresses and postcodes. Unlike structured values
 * these have no checksum, so each needs a context word — a trigger ("my name is", "Hallo",
 * "Cordialement,"), a JSON-ish `name:` key, a street-type word, or a postcode keyword —
 * in English, Spanish, German, French, Portuguese and Italian.
 *
 * Triggers are matched case-insensitively through an inline `(?i:…)` group while the name
 * itself must be capitalised; every repetition is bounded, so the scan stays linear.
 */
import type { NameSlot, Span } from './span.ts';
import { COMMON_FIRST_NAMES, NOT_NAMES, STREET_TYPES } from './word-lists.ts';

const TOKEN = String.raw`\p{Lu}[\p{Ll}'’]{1,30}(?:-\p{Lu}\p{Ll}{1,30})?`;
const PARTICLE = String.raw`(?:van der|van|von|de la|de|da|del|della|di|du|dos|das|do|le|la|mc|o')`;
const FULL_NAME = `${TOKEN}(?:[ \\t]+(?:${PARTICLE}[ \\t]+)?${TOKEN}){0,2}`;

const TRIGGERS = [
  // English
  `my name is|my name's|name is|i am|i'm|this is|call me|it's|spoke (?:to|with)|speaking (?:to|with)|talk(?:ed)? to|ask for|hi|hello|hey|dear|thanks|thank you|regards|best regards|kind regards|many thanks|cheers|sincerely|yours truly|mr\\.?|mrs\\.?|ms\\.?|miss|dr\\.?|prof\\.?|signed`,
  // Spanish
  `me llamo|mi nombre es|soy|hola|buenos días|buenas tardes|estimad[oa]|saludos|atentamente|gracias|muchas gracias|sr\\.?|sra\\.?|srta\\.?|don|doña|habla`,
  // German
  `ich heiße|ich heisse|mein name ist|ich bin|hier ist|hier spricht|hallo|guten tag|liebe|lieber|sehr geehrte|sehr geehrter|herr|frau|viele grüße|beste grüße|liebe grüße|mit freundlichen grüßen|freundliche grüße|grüße|danke|vielen dank`,
  // French
  `je m'appelle|je m’appelle|mon nom est|je suis|c'est|bonjour|bonsoir|salut|cher|chère|cordialement|bien à vous|merci|monsieur|madame|mademoiselle|m\\.|mme|mlle`,
  // Portuguese
  `meu nome é|me chamo|eu sou|sou|olá|oi|bom dia|boa tarde|prezad[oa]|atenciosamente|abraços|obrigad[oa]|sr\\.?|sra\\.?`,
  // Italian
  `mi chiamo|il mio nome è|sono|ciao|buongiorno|buonasera|salve|gentile|caro|cara|cordiali saluti|distinti saluti|saluti|grazie|sig\\.ra|sig\\.?|signor|signora|dott\\.?|dott\\.ssa`,
].join('|');

const NAME_AFTER_TRIGGER = new RegExp(
  `(?<![\\p{L}])(?i:${TRIGGERS})[,:!.]?[ \\t]{1,3}(?:\\r?\\n[ \\t]{0,3})?(?:(?:Mr|Mrs|Ms|Dr|Herr|Frau|Sr|Sra|M|Mme)\\.?[ \\t]+)?(?<name>${FULL_NAME})(?![\\p{L}\\p{N}])`,
  'gu',
);
const SIGNOFF_NEWLINE = new RegExp(`(?<![\\p{L}])(?i:best|thanks|regards|cheers|xoxo|love)[,!]?\\r?\\n(?<name>${FULL_NAME})[ \\t]*(?:\\r?\\n|$)`, 'gu');

/** `"customer_name": "Ana Lopez"`, `first_name=Ana` in free text (JSON that failed to parse, logs, query strings). */
const NAME_FIELD = new RegExp(
  `(?<![\\p{L}_])["']?(?i:(?:first|last|full|given|family|middle|customer|contact|display|holder|cardholder|recipient|sender|account)[_ \\-]?name|surname|nombre|apellidos?|vorname|nachname|prénom|prenom|cognome|sobrenome)["']?[ \\t]{0,3}[:=][ \\t]{0,3}["']?(?<name>${FULL_NAME})`,
  'gu',
);
/** A known given name followed by a capitalised word: "Maria Gonzalez". */
const FIRST_LAST = new RegExp(`(?<![\\p{L}])(?<first>\\p{Lu}\\p{Ll}{1,20})[ \\t]+(?:${PARTICLE}[ \\t]+)?(?<last>${TOKEN})(?![\\p{L}])`, 'gu');

export function detectNames(text: string, out: Span[]): void {
  if (!/\p{Lu}/u.test(text)) return;
  for (const re of [NAME_AFTER_TRIGGER, SIGNOFF_NEWLINE, NAME_FIELD]) {
    for (const m of text.matchAll(re)) {
      const name = m.groups?.name ?? '';
      pushName(m.index + m[0].lastIndexOf(name), name, out);
    }
  }
  for (const m of text.matchAll(FIRST_LAST)) {
    const first = m.groups?.first ?? '';
    const last = m.groups?.last ?? '';
    if (!COMMON_FIRST_NAMES.has(first) || NOT_NAMES.has(last) || STREET_TYPES.has(last)) continue;
    pushName(m.index, m[0], out);
  }
}

/** Splits a matched name into tokens (one span each, so each token maps consistently) and drops non-names. */
function pushName(start: number, name: string, out: Span[]): void {
  const tokens = [...name.matchAll(/[\p{L}'’-]+/gu)];
  let slot: NameSlot = 'first';
  for (const t of tokens) {
    const word = t[0];
    if (/^\p{Ll}/u.test(word)) continue; // a particle: von, de, da
    if (NOT_NAMES.has(word) || STREET_TYPES.has(word)) {
      if (slot === 'first') return; // "this is Great", "I'm Sorry": no name here
      break;
    }
    out.push({ start: start + t.index, end: start + t.index + word.length, kind: 'identity', type: 'name', slot });
    slot = 'last';
  }
}

const EN_STREET = String.raw`(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Close|Crescent|Square|Sq|Parkway|Pkwy|Highway|Hwy|Row|Grove|Gardens|Walk)`;
const WORD = String.raw`\p{Lu}[\p{L}'’\-]{1,30}`;
const ADDRESS = new RegExp(
  [
    // 221B Baker Street, Apt 4
    String.raw`(?<![\p{L}\p{N}])\d{1,5}[A-Za-z]?[ \t]+(?:(?:N|S|E|W|North|South|East|West)\.?[ \t]+)?(?:${WORD}[ \t]+){1,3}${EN_STREET}\.?(?:,?[ \t]+(?:Apt|Suite|Unit|Flat|#)\.?[ \t]*[\w-]{1,6})?(?![\p{L}])`,
    // Hauptstraße 5, Berliner Straße 12a
    String.raw`(?<![\p{L}])(?:${WORD}(?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer)|${WORD}[ \t](?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Ring|Damm))[ \t]+\d{1,4}[ \t]?[a-z]?(?![\p{L}\p{N}])`,
    // 12 rue de la Paix, 5 bis avenue Victor Hugo
    String.raw`(?<![\p{L}\p{N}])\d{1,4}(?:[ \t]?(?:bis|ter))?,?[ \t]+(?i:rue|avenue|av\.|boulevard|bd|place|allée|chemin|impasse|quai|route|cours)[ \t]+(?:(?:de la|de l'|du|des|de|d'|la|le|l')[ \t]?)?${WORD}(?:[ \t]+${WORD}){0,3}`,
    // Calle Mayor 5, Rua Augusta, 1500, Via Roma 12
    String.raw`(?<![\p{L}])(?:Calle|C\/|Avenida|Avda\.?|Av\.|Paseo|Plaza|Carrer|Camino|Rua|Travessa|Praça|Alameda|Via|Viale|Piazza|Corso|Vicolo|Largo)[ \t]+(?:(?:de la|de los|de las|del|de|da|das|do|dos|della|delle|dei|di)[ \t]+)?${WORD}(?:[ \t]+(?:(?:de|da|do|di|del|della)[ \t]+)?${WORD}){0,3},?[ \t]+(?:n[ºo°]\.?[ \t]*)?\d{1,5}[A-Za-z]?(?![\p{L}\p{N}])`,
  ].join('|'),
  'gu',
);
const ADDRESS_HINT = /\d/;

export function detectAddresses(text: string, out: Span[]): void {
  if (!ADDRESS_HINT.test(text)) return;
  for (const m of text.matchAll(ADDRESS)) out.push({ start: m.index, end: m.index + m[0].length, kind: 'identity', type: 'address' });
}

const UK_POSTCODE = /(?<![A-Za-z0-9])[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}(?![A-Za-z0-9])/g;
const NUMERIC_POSTCODE = /(?<![\p{L}\p{N}.,:\-/#$€£])\d{5,6}(?:-\d{3,4})?(?![\p{N}]|[.,\-/]\d)/gu;
const POSTCODE_KEYWORD = /(?:zip(?: ?code)?|post(?:al)? ?code|postleitzahl|plz|cp|cap|cep|code postal|código postal|codigo postal|pin ?code|pin)\s?[:#]?\s?$/i;
const US_STATE = /\b(?:A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[TA]|W[AVIY])\s$/;

export function detectPostcodes(text: string, out: Span[]): void {
  for (const m of text.matchAll(UK_POSTCODE)) {
    if (/\d/.test(m[0].slice(0, 2)) || !/[A-Z]{2}$/.test(m[0])) continue;
    out.push({ start: m.index, end: m.index + m[0].length, kind: 'identity', type: 'postcode' });
  }
  for (const m of text.matchAll(NUMERIC_POSTCODE)) {
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
