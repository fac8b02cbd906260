/**
 * Person names from context. Unlike structured values names have no checksum, so each needs
 * a context — a trigger ("my name is", "Hallo", "Cordialement,"), a JSON-ish `name:` key, or
 * a known given name before a capitalised word — in en, es, de, fr, pt and it.
 *
 * Names are anchored on capitalised words, the only place a name can start: for each one,
 * the (at most four) words before it are looked up in a set of trigger phrases. That costs a
 * few set lookups per capitalised word instead of trying a hundred trigger alternatives at
 * every word boundary, and every repetition is bounded, so the scan stays linear.
 */
import type { NameSlot, Span } from './span.ts';
import { eachMatch, LETTER, LOWER, UPPER } from './patterns.ts';
import { COMMON_FIRST_NAMES, NOT_NAMES, STREET_TYPES } from './word-lists.ts';

const TOKEN = `[${UPPER}][${LOWER}'’]{1,30}(?:-[${UPPER}][${LOWER}]{1,30})?`;
const PARTICLE = String.raw`(?:van der|van|von|de la|de|da|del|della|di|du|dos|das|do|le|la|mc|o')`;
const FULL_NAME = new RegExp(`${TOKEN}(?:[ \\t]+(?:${PARTICLE}[ \\t]+)?${TOKEN}){0,2}(?![${LETTER}0-9])`, 'y');
const FIRST_LAST = new RegExp(`(?<first>[${UPPER}][${LOWER}]{1,20})[ \\t]+(?:${PARTICLE}[ \\t]+)?(?<last>${TOKEN})(?![${LETTER}])`, 'y');
const CAPITALISED = new RegExp(`(?<![${LETTER}0-9_])[${UPPER}](?=[${LOWER}])`, 'g');

const phrases = (s: string): Set<string> => new Set(s.split('|').map((p) => p.trim()));

/** Lower-case trigger phrases, apostrophes normalised to `'` and trailing dots dropped. */
const TRIGGERS = phrases(
  [
    // English
    "my name is|my name's|name is|i am|i'm|this is|call me|it's|spoke to|spoke with|speaking to|speaking with|talk to|talked to|ask for|hi|hello|hey|dear|thanks|thank you|regards|best regards|kind regards|many thanks|cheers|sincerely|yours truly|mr|mrs|ms|miss|dr|prof|signed",
    // Spanish
    'me llamo|mi nombre es|soy|hola|buenos días|buenas tardes|estimado|estimada|saludos|atentamente|gracias|muchas gracias|sr|sra|srta|don|doña|habla',
    // German
    'ich heiße|ich heisse|mein name ist|ich bin|hier ist|hier spricht|hallo|guten tag|liebe|lieber|sehr geehrte|sehr geehrter|herr|frau|viele grüße|beste grüße|liebe grüße|mit freundlichen grüßen|freundliche grüße|grüße|danke|vielen dank',
    // French
    "je m'appelle|mon nom est|je suis|c'est|bonjour|bonsoir|salut|cher|chère|cordialement|bien à vous|merci|monsieur|madame|mademoiselle|m|mme|mlle",
    // Portuguese
    'meu nome é|me chamo|eu sou|sou|olá|oi|bom dia|boa tarde|prezado|prezada|atenciosamente|abraços|obrigado|obrigada',
    // Italian
    'mi chiamo|il mio nome è|sono|ciao|buongiorno|buonasera|salve|gentile|caro|cara|cordiali saluti|distinti saluti|saluti|grazie|grazie mille|mille grazie|sig|sig.ra|signor|signora|dott|dott.ssa',
    // More thanks
    'thanks a lot|thanks again|merci beaucoup|muito obrigado|muito obrigada|danke schön|danke sehr',
  ].join('|'),
);
/**
 * Triggers often followed by a word that is no name ("this is Urgent", "ich bin Student"):
 * after these a single word counts only when it is a known given name or reads like an
 * introduction ("this is Ngozi from…", "I am Siobhán and…").
 */
const WEAK_TRIGGERS = phrases("this is|i am|i'm|it's|c'est|je suis|soy|sono|sou|eu sou|ich bin|hier ist|habla");
const INTRODUCTION_AFTER = /^(?:,|[ \t]+(?:from|here|again|and|speaking|calling|writing|de|da|von|aus|y|e|et|und)\b)/;
/** After these, the next one or two words are a name even in lower case ("my name is john smith"). */
const LOWERCASE_NAME =
  /(?<![A-Za-z])(?:my name is|my name's|me llamo|mi nombre es|ich heiße|ich heisse|mein name ist|je m'appelle|mon nom est|mi chiamo|il mio nome è|meu nome é|me chamo)[ \t]+([a-zß-öø-ÿ][a-zß-öø-ÿ'-]{1,30})(?:[ \t]+([a-zß-öø-ÿ][a-zß-öø-ÿ'-]{1,30}))?/dgi;
const NOT_LOWERCASE_NAMES = new Set(
  'not a an the and but also still just really actually spelled written from with for on in at is was y e und et mit pero mais ma mas no nicht pas non es ist est è é'.split(' '),
);

/** Sign-offs that only count when the name follows on the next line ("Best,\nAna"). */
const SIGNOFFS_NEWLINE = phrases('best|love|xoxo|take care|talk soon');

/** Last words of trigger phrases: the fast test that rejects most capitalised words at once. */
const TRIGGER_LAST_WORDS = new Set([...TRIGGERS, ...SIGNOFFS_NEWLINE].map((p) => p.slice(p.lastIndexOf(' ') + 1)));
/** `"customer_name": "`, `first_name=` right before the name (JSON that failed to parse, logs, query strings). */
const NAME_FIELD_BEFORE =
  /(?:(?:first|last|full|given|family|middle|customer|contact|display|holder|cardholder|recipient|sender|account)[_ \-]?name|surname|nombre|apellidos?|vorname|nachname|prénom|prenom|cognome|sobrenome)["']?[ \t]{0,3}[:=][ \t]{0,3}["']?$/i;

export function detectNames(text: string, out: Span[]): void {
  CAPITALISED.lastIndex = 0;
  for (let m = CAPITALISED.exec(text); m; m = CAPITALISED.exec(text)) {
    const at = m.index;
    const trigger = triggered(text, at);
    if (trigger) {
      FULL_NAME.lastIndex = at;
      const name = FULL_NAME.exec(text)?.[0];
      const weakSingle = trigger === 'weak' && name !== undefined && !/[ \t]/.test(name);
      const plausible = !weakSingle || COMMON_FIRST_NAMES.has(name) || INTRODUCTION_AFTER.test(text.slice(at + name.length, at + name.length + 12));
      // "Frau Keller": the honorific is no name, but the next word is tried on its own.
      if (name && plausible && pushName(at, name, out)) {
        CAPITALISED.lastIndex = at + name.length;
        continue;
      }
    }
    if (!COMMON_FIRST_NAMES.has(wordAt(text, at))) continue;
    FIRST_LAST.lastIndex = at;
    const pair = FIRST_LAST.exec(text);
    const last = pair?.groups?.last ?? '';
    if (!pair || NOT_NAMES.has(last) || STREET_TYPES.has(last)) continue;
    if (pushName(at, pair[0], out)) CAPITALISED.lastIndex = at + pair[0].length;
  }
  if (/name|llamo|nombre|heiße|heisse|appelle|nom |chiamo|nome|chamo/i.test(text)) detectLowercaseNames(text, out);
}

function detectLowercaseNames(text: string, out: Span[]): void {
  for (const m of eachMatch(LOWERCASE_NAME, text)) {
    for (const group of [1, 2]) {
      const word = m[group];
      const at = m.indices?.[group]?.[0];
      if (word === undefined || at === undefined || NOT_LOWERCASE_NAMES.has(word.toLowerCase()) || NOT_NAMES.has(cap(word))) break;
      out.push({ start: at, end: at + word.length, kind: 'identity', type: 'name', slot: group === 1 ? 'first' : 'last' });
    }
  }
}

const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();

/**
 * Whether the text right before `at` ends with a trigger phrase and a gap (punctuation, a
 * few spaces, at most one line break), or with a name key (`"first_name": "`), and how
 * strong a sign of a name that trigger is. Scans backwards by hand: this runs for every
 * capitalised word.
 */
function triggered(text: string, at: number): 'strong' | 'weak' | false {
  let i = at;
  let newline = false;
  while (i > 0 && at - i < 6) {
    const c = text.charCodeAt(i - 1);
    if (c === 32 || c === 9 || c === 13) i--;
    else if (c === 10 && !newline) {
      newline = true;
      i--;
    } else break;
  }
  const prev = text[i - 1];
  if (prev === '"' || prev === "'" || prev === ':' || prev === '=') {
    if (NAME_FIELD_BEFORE.test(text.slice(Math.max(0, at - 48), at))) return 'strong';
  }
  if (i === at) return false;
  if (prev === ',' || prev === ':' || prev === '!' || prev === '.') i--;
  const words: string[] = [];
  let end = i;
  while (words.length < 4) {
    let start = end;
    while (start > 0 && isWordChar(text.charCodeAt(start - 1))) start--;
    if (start === end) break;
    const word = text.slice(start, end).toLowerCase().replace(/’/g, "'").replace(/\.$/, '');
    if (words.length === 0 && !TRIGGER_LAST_WORDS.has(word)) return false;
    words.unshift(word);
    const phrase = words.join(' ');
    if (TRIGGERS.has(phrase) || (newline && SIGNOFFS_NEWLINE.has(phrase))) return WEAK_TRIGGERS.has(phrase) ? 'weak' : 'strong';
    if (start === 0 || text.charCodeAt(start - 1) !== 32) break;
    end = start - 1;
  }
  return false;
}

/** Letters (Latin-1 and beyond, approximately), apostrophes and dots (`Mr.`, `sig.ra`). */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 39 || c === 46 || c === 0x2019 || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7);
}

/** The capitalised word starting at `at` (letters only). */
function wordAt(text: string, at: number): string {
  let end = at + 1;
  while (end < text.length && end - at < 24) {
    const c = text.charCodeAt(end);
    if ((c >= 97 && c <= 122) || (c >= 0xdf && c !== 0xf7)) end++;
    else break;
  }
  return text.slice(at, end);
}

/**
 * Splits a matched name into tokens (one span each, so each token maps consistently) and
 * drops non-names; false when it held no name at all.
 */
function pushName(start: number, name: string, out: Span[]): boolean {
  const tokens = [...name.matchAll(/[\p{L}'’-]+/gu)].filter((t) => !/^\p{Ll}/u.test(t[0])); // drop particles: von, de, da
  // "Dear Valued Customer", "this is Acme Support": one non-name word means no name at all.
  if (tokens.some((t) => t[0].split('-').some((w) => NOT_NAMES.has(w)))) return false;
  tokens.forEach((t, i) => {
    const at = start + (t.index ?? 0);
    out.push({ start: at, end: at + t[0].length, kind: 'identity', type: 'name', slot: i === 0 ? 'first' : 'last' });
  });
  return tokens.length > 0;
}
