/** The key and anonymizer recorder tests use: the real anonymizer, the real session pseudonym. */
import { createAnonymizer, pseudonymizeSessionId, type Anonymizer } from '../../src/anonymize/index.ts';

export const TEST_KEY = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');

export function testAnonymizer(): Anonymizer {
  return createAnonymizer({ key: TEST_KEY });
}

export const testPseudonym = (id: string): string => pseudonymizeSessionId(TEST_KEY, id);
