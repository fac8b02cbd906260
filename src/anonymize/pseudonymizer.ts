import { createHmac } from 'node:crypto';
import { HarnessError } from '../errors.ts';
import type { IdentityType } from '../model/index.ts';
import { rngFor } from '../util/rng.ts';
import type { NameSlot } from './span.ts';
import { isSurrogate, makeSurrogate } from './surrogates.ts';

/** How many derivations to try before declaring a type's surrogate space exhausted. */
const MAX_ATTEMPTS = 64;

/**
 * Keyed, consistent, collision-free mapping from originals to surrogates.
 *
 * Design: the HMAC-SHA256 of `(type, normalized original)` seeds the surrogate generator,
 * so the same value gets the same surrogate in every session and every run with the same
 * key, and nothing about the original can be recovered without the key. Normalizing first
 * (case for emails, separators for numbers) makes `John@X.com` and `john@x.com` one person,
 * while the surrogate keeps each occurrence's own format. Surrogate spaces are small for
 * some types (RFC 5737 has 762 addresses), so every issued surrogate remembers its owner and
 * a clash with a different original re-derives with the next attempt number (postcodes
 * alone may end up shared once their small space is full). Results are
 * cached: the HMAC runs once per distinct value. Originals live only in this in-memory map.
 */
export class Pseudonymizer {
  readonly keyId: string;
  readonly #key: Buffer;
  readonly #byOriginal = new Map<string, string>();
  readonly #ownerOf = new Map<string, string>();

  constructor(key: Buffer) {
    this.#key = key;
    this.keyId = createHmac('sha256', key).update('rehearsal/key-id').digest('hex').slice(0, 16);
  }

  /** The surrogate for an identity value (or the value itself when it already is a surrogate). */
  identity(type: IdentityType, original: string, slot?: NameSlot): string {
    const cacheKey = `${type}\u0000${original}`;
    const cached = this.#byOriginal.get(cacheKey);
    if (cached !== undefined) return cached;
    const owner = `${type}\u0000${normalize(type, original)}`;
    let surrogate: string;
    if (isSurrogate(type, original) || this.#ownerOf.has(original)) {
      surrogate = original; // already anonymized: a second pass must be a no-op
    } else {
      const digest = this.#hmac(owner);
      let attempt = 0;
      for (;;) {
        surrogate = makeSurrogate(type, original, rngFor(digest, attempt), attempt, slot);
        const taken = this.#ownerOf.get(surrogate);
        if ((taken === undefined || taken === owner) && surrogate !== original) break;
        if (++attempt >= MAX_ATTEMPTS) {
          // Numeric postcodes have 1,000 surrogates per length; a postcode is shared by
          // thousands of people anyway, so past that, postcodes share surrogates.
          if (type === 'postcode') break;
          throw new HarnessError('ANONYMIZE', `surrogate space for ${type} exhausted after ${MAX_ATTEMPTS} attempts`, {
            hint: 'anonymize the recording in smaller parts, each with its own anonymizer',
          });
        }
      }
    }
    this.#ownerOf.set(surrogate, owner);
    this.#byOriginal.set(cacheKey, surrogate);
    return surrogate;
  }

  /** A non-reversible token for a secret: `[secret:<kind>:<6 hex>]`, stable for the same secret and key. */
  secret(kind: string, value: string): string {
    return `[secret:${kind}:${this.#hmac(`secret\u0000${value}`).slice(0, 6)}]`;
  }

  #hmac(data: string): string {
    return createHmac('sha256', this.#key).update(data).digest('hex');
  }
}

function normalize(type: IdentityType, value: string): string {
  switch (type) {
    case 'email':
      return value.toLowerCase().replace('%40', '@');
    case 'phone':
    case 'card':
    case 'iban':
    case 'national_id':
      return value.replace(/[^A-Za-z0-9+]/g, '').toUpperCase();
    default:
      return value;
  }
}
