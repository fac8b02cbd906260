import { createHmac } from 'node:crypto';

/**
 * The recorded pseudonym of a production session id: `s-` and 20 hex digits of
 * HMAC-SHA256(key, "rehearsal/session-id" NUL id), the same key and HMAC scheme as the
 * anonymizer's surrogates. A recorder suffix `#n` (the n-th session under one id) is kept:
 * `abc#2` → `<pseudonym of abc>#2`. The anonymizer applies this to `Session.id`, and
 * `rehearse find --session` applies it to what support hands over.
 */
export function pseudonymizeSessionId(key: Buffer, productionId: string): string {
  const at = productionId.lastIndexOf('#');
  const suffix = at > 0 && /^#\d+$/.test(productionId.slice(at)) ? productionId.slice(at) : '';
  const base = suffix === '' ? productionId : productionId.slice(0, at);
  const digest = createHmac('sha256', key).update(`rehearsal/session-id\u0000${base}`).digest('hex').slice(0, 20);
  return `s-${digest}${suffix}`;
}
