import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { HarnessError, errorMessage } from '../errors.ts';

export const KEY_ENV = 'REHEARSAL_ANON_KEY';
const MIN_KEY_BYTES = 16;

const HOW_TO =
  `pass --key-file FILE (32 random bytes, hex or base64), set ${KEY_ENV}, or --ephemeral-key for a throwaway key ` +
  `(surrogates then differ from run to run); generate one with: openssl rand -hex 32 > anon.key`;

/** Where the HMAC key comes from, in order: `keyFile`, the env var, `ephemeral`. */
export interface KeySource {
  keyFile?: string;
  /** Environment holding the key (hex or base64) in `REHEARSAL_ANON_KEY`; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Generate a random throwaway key (explicit opt-in only). */
  ephemeral?: boolean;
}

/** Loads the HMAC key or throws HarnessError('ANONYMIZE') saying how to provide one. */
export async function loadKey(source: KeySource): Promise<Buffer> {
  if (source.keyFile !== undefined) {
    let text: string;
    try {
      text = await readFile(source.keyFile, 'utf8');
    } catch (err) {
      throw new HarnessError('ANONYMIZE', `cannot read anonymization key file ${source.keyFile}: ${errorMessage(err)}`, {
        hint: HOW_TO,
        cause: err,
      });
    }
    return decodeKey(text, `key file ${source.keyFile}`);
  }
  const fromEnv = (source.env ?? process.env)[KEY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return decodeKey(fromEnv, `environment variable ${KEY_ENV}`);
  if (source.ephemeral) return randomBytes(32);
  throw new HarnessError('ANONYMIZE', 'no anonymization key: recordings cannot be anonymized without one', { hint: HOW_TO });
}

/** Accepts hex (even length) or base64; anything decoding to fewer than 16 bytes is refused. */
export function decodeKey(text: string, where: string): Buffer {
  const t = text.trim();
  const key = /^(?:[0-9a-f]{2})+$/i.test(t) ? Buffer.from(t, 'hex') : /^[A-Za-z0-9+/_-]+={0,2}$/.test(t) ? Buffer.from(t, 'base64') : Buffer.alloc(0);
  if (key.length < MIN_KEY_BYTES) {
    throw new HarnessError('ANONYMIZE', `anonymization key in ${where} is not ≥ ${MIN_KEY_BYTES} bytes of hex or base64`, { hint: HOW_TO });
  }
  return key;
}
