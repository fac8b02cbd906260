/**
 * The anonymizer recorder tests use: the real one (`createAnonymizer`) when it is available.
 * TEMPORARY: while the anonymize module is still a contract stub, a minimal real HMAC
 * pseudonymizer (emails, bearer tokens, session ids) stands in so recorder tests can run.
 */
import { createHmac } from 'node:crypto';
import { createAnonymizer, type Anonymizer } from '../../src/anonymize/index.ts';
import type { Session } from '../../src/model/index.ts';

export const TEST_KEY = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');

function minimal(key: Buffer): Anonymizer {
  const h = (v: string) => createHmac('sha256', key).update(v).digest('hex').slice(0, 12);
  const redactText = (t: string) => t.replace(/[\w.+-]+@[\w-]+\.[\w.]+/g, (m) => `user-${h(m)}@example.net`).replace(/sk-[\w-]{8,}/g, '[secret]');
  const redactValue = (v: unknown): unknown =>
    typeof v === 'string' ? redactText(v) : Array.isArray(v) ? v.map(redactValue) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactValue(x)])) : v;
  return {
    policyId: 'test/minimal',
    keyId: h('key'),
    redactText,
    redactValue,
    anonymizeSession: (raw: Session) => ({ ...(redactValue(raw) as Session), id: `s-${h(raw.id)}` }),
  };
}

export function testAnonymizer(): Anonymizer {
  try {
    return createAnonymizer({ key: TEST_KEY });
  } catch {
    return minimal(TEST_KEY);
  }
}
