/**
 * Session ids: the one identifier that reaches the recorder in clear for certain. The
 * anonymizer keeps `Session.id` as it is (it needs the production id to pseudonymize it);
 * whoever writes the session — recorder, importer, `rehearse anonymize` — passes it through
 * `withoutSessionKey`, and `rehearse find --session` maps what support hands over the same way.
 */
import { createHmac } from 'node:crypto';
import { HarnessError } from '../errors.ts';
import type { Session } from '../model/index.ts';

/**
 * The recorded pseudonym of a production session id: `s-` and 20 hex digits of
 * HMAC-SHA256(key, "rehearsal/session-id" NUL id), the same key and HMAC scheme as the
 * anonymizer's surrogates. A recorder suffix `#n` (the n-th session under one id) is kept:
 * `abc#2` → `<pseudonym of abc>#2`. Changing the derivation would make every existing
 * recording unfindable by its production id.
 */
export function pseudonymizeSessionId(key: Buffer, productionId: string): string {
  const at = productionId.lastIndexOf('#');
  const suffix = at > 0 && /^#\d+$/.test(productionId.slice(at)) ? productionId.slice(at) : '';
  const base = suffix === '' ? productionId : productionId.slice(0, at);
  const digest = createHmac('sha256', key).update(`rehearsal/session-id\u0000${base}`).digest('hex').slice(0, 20);
  return `s-${digest}${suffix}`;
}

/**
 * An anonymized session with no trace of its production id: the id itself becomes its
 * pseudonym (when the anonymizer left it as is and `pseudonymizeId` is given), and every
 * other occurrence (request bodies, URLs, headers) becomes the pseudonym too, whatever the
 * anonymizer's rules. Throws an ANONYMIZE error when the id would survive; callers drop the
 * session (fail closed). The message does not repeat the id: it is production data.
 */
export function withoutSessionKey(anonymized: Session, rawId: string, pseudonymizeId?: (id: string) => string): Session {
  const key = rawId.replace(/#\d+$/, '');
  let safe = anonymized;
  if (safe.id === rawId && pseudonymizeId) safe = { ...safe, id: pseudonymizeId(rawId) };
  if (safe.id === rawId || safe.id === key) {
    throw new HarnessError('ANONYMIZE', 'the anonymized session kept its production id', {
      hint: 'pass the anonymization key (or a pseudonymizeId function) so session ids are pseudonymized',
    });
  }
  if (key.length < 4) return safe;
  const json = JSON.stringify(safe);
  if (!json.includes(key)) return safe;
  return JSON.parse(json.split(JSON.stringify(key).slice(1, -1)).join(safe.id)) as Session;
}
