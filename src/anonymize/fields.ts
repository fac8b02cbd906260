/**
 * What a JSON field (or query parameter, or header) holds, judged by its key name: values
 * under these keys are replaced whole, whatever their text looks like.
 */
import { CREDENTIAL_HEADER } from '../wire/headers.ts';
import { ALWAYS_SECRET_KEY, TOKEN_KEY } from './detect-secrets.ts';
import { COMMON_FIRST_NAMES, NOT_NAMES } from './word-lists.ts';

export type FieldClass = 'secret' | 'name' | 'generic_name' | 'address' | 'postcode' | 'phone';

const NAME_KEY =
  /^(?:full|first|last|given|family|middle|customer|contact|display|holder|card_?holder|recipient|sender|account|billing|shipping)_?name$|^(?:surname|nombre|apellidos?|vorname|nachname|pr[ée]nom|nome|cognome|sobrenome)$/i;
const ADDRESS_KEY = /^(?:(?:street|billing|shipping|home|postal|mailing)_?)?(?:address|addr)(?:_?line_?\d)?$|^(?:street|line_?[12]|direcci[oó]n|adresse|indirizzo|endere[cç]o|stra(?:ss|ß)e)$/i;
const POSTCODE_KEY = /^(?:zip|zip_?code|post_?code|postal_?code|plz|cp|cap|cep|pin_?code)$/i;
const PHONE_KEY = /^(?:phone|phone_?number|mobile|mobile_?number|tel|telephone|cell|fax|telefono|telefone|telefon|t[ée]l[ée]phone)$/i;

/** Header names never written to a recording: credentials, and session ids (they lead back to production). */
export const UNRECORDED_HEADER = new RegExp(`${CREDENTIAL_HEADER.source}|session`, 'i');

const classified = new Map<string, FieldClass | undefined>();

/** The class of a key name (memoised: a recording uses few distinct keys, many times). */
export function classifyKey(key: string): FieldClass | undefined {
  let c = classified.get(key);
  if (c === undefined && !classified.has(key)) {
    c = classifyUncached(key);
    if (classified.size < 10_000) classified.set(key, c);
  }
  return c;
}

function classifyUncached(key: string): FieldClass | undefined {
  const k = key.replace(/([a-z])([A-Z])/g, '$1_$2'); // firstName → first_Name
  if (ALWAYS_SECRET_KEY.test(k) || TOKEN_KEY.test(k)) return 'secret';
  if (/^name$/i.test(k)) return 'generic_name';
  if (NAME_KEY.test(k)) return 'name';
  if (ADDRESS_KEY.test(k)) return 'address';
  if (POSTCODE_KEY.test(k)) return 'postcode';
  if (PHONE_KEY.test(k)) return 'phone';
  return undefined;
}

/** Capitalised name tokens of a value that reads as a person's name (≤ 4 words, letters only). */
export function personNameTokens(value: string, generic: boolean): RegExpMatchArray[] {
  if (!/^\s*\p{Lu}[\p{L}'’.\- ]{0,80}$/u.test(value)) return [];
  const tokens = [...value.matchAll(/\p{Lu}[\p{L}'’-]*/gu)];
  if (tokens.length === 0 || tokens.length > 4) return [];
  if (tokens.some((t) => NOT_NAMES.has(t[0]))) return [];
  if (generic && !COMMON_FIRST_NAMES.has(tokens[0]?.[0] ?? '')) return [];
  return tokens;
}
