import type { Identity } from '../model/index.ts';
import { squash } from '../util/text.ts';
import { containsToken } from './text.ts';

/** Something a user said that a later LLM request should still carry. */
export interface Fact {
  /** The fact as it appears in the recording (recorded surrogates for identities). */
  text: string;
  kind: 'identity' | 'id' | 'number';
  /** The identity type, for `identity` facts. */
  type?: string;
  /** The turn whose user input first stated it. */
  turn: number;
}

// Tokens mixing letters and digits (`ORD-482913`, `A1B2C3`, `INV_2024_07`), 5+ characters.
const ID = /(?<![\p{L}\p{N}])(?=[\p{L}\p{N}_-]*\p{N})(?=[\p{L}\p{N}_-]*\p{L})[\p{L}\p{N}]+(?:[-_][\p{L}\p{N}]+)*(?![\p{L}\p{N}])/gu;
// Amounts and quantities: 3+ digits, or a decimal number (`45.90`, `1,5`).
const NUMBER = /(?<![\p{L}\p{N}.,-])\d+(?:[.,]\d+)?(?![\p{L}\p{N}])/gu;

/**
 * Design note: facts are what an LLM needs from earlier turns to answer later ones — who the
 * user is (the session's identities, which replay turns into per-instance canaries), and the
 * ids and numbers they quoted. Plain words are not facts: a paraphrased history is fine, a
 * history without the order number is not. Ids and numbers inside an identity (the digits of a
 * phone number) are the identity's, not separate facts.
 */
export function factsOf(input: string, turn: number, identities: readonly Identity[]): Fact[] {
  const facts: Fact[] = [];
  const seen = new Set<string>();
  const add = (fact: Fact): void => {
    if (seen.has(fact.text)) return;
    seen.add(fact.text);
    facts.push(fact);
  };
  const found = identities.filter((id) => containsToken(input, id.surrogate));
  for (const id of found) add({ text: id.surrogate, kind: 'identity', type: id.type, turn });
  const insideIdentity = (text: string): boolean => found.some((id) => id.surrogate.includes(text));
  for (const m of input.matchAll(ID)) if (m[0].length >= 5 && !insideIdentity(m[0])) add({ text: m[0], kind: 'id', turn });
  for (const m of input.matchAll(NUMBER)) {
    const digits = m[0].replace(/\D/g, '').length;
    if ((digits >= 3 || /[.,]/.test(m[0])) && !insideIdentity(m[0]) && ![...seen].some((s) => s.includes(m[0]))) add({ text: m[0], kind: 'number', turn });
  }
  return facts;
}

/** Whether a squashed text holds a fact or an earlier statement. */
export function holds(text: string, needle: string): boolean {
  return containsToken(text, squash(needle));
}
