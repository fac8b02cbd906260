/**
 * The anonymizer: detectors + keyed pseudonymizer + redaction of sessions, the replay
 * rekeyer, and the residue scanner. Signatures here are what the recorder, importers and
 * replayer code against. See docs/anonymization.md.
 */
import type { Identity, Session } from '../model/index.ts';
import { builtinPolicy, compilePolicy, type Policy } from './policy.ts';
import { Pseudonymizer } from './pseudonymizer.ts';
import { Redactor } from './redactor.ts';
import { anonymizeSessionWith } from './session.ts';

export interface AnonymizerOptions {
  /** HMAC-SHA256 key (≥ 16 bytes). Never written anywhere. */
  key: Buffer;
  /**
   * A `Policy` from `loadPolicy`, or a policy document (the parsed YAML, validated here);
   * built-in policy when absent.
   */
  policy?: Policy | unknown;
}

export interface Anonymizer {
  readonly policyId: string;
  /** Short fingerprint of the key, safe to store in a manifest. */
  readonly keyId: string;
  /** Replaces PII and secrets in free text. The same original always gives the same surrogate. */
  redactText(text: string): string;
  /**
   * A JSON value with every string (and JSON nested in strings) redacted. Changed parts are
   * new objects; unchanged subtrees are the input's own (returned as is when nothing was
   * found), so treat input and output as immutable.
   */
  redactValue(value: unknown): unknown;
  /**
   * Anonymizes a raw session: inputs, replies, every exchange (URL, headers — credential
   * headers dropped —, bodies, chunks, parsed llm conversation), and fills `identities`.
   * Throws on failure; callers drop the session (fail closed), never write it raw. Like
   * `redactValue`, the result may share unchanged parts with `raw`. The session id is kept:
   * pseudonymizing it is the caller's (it needs the production id; see `withoutSessionKey`).
   */
  anonymizeSession(raw: Session): Session;
}

/** One anonymizer per recording: surrogates are consistent across all the sessions it sees. */
export function createAnonymizer(options: AnonymizerOptions): Anonymizer {
  const policy = toPolicy(options.policy);
  const pseudo = new Pseudonymizer(options.key);
  const redactor = new Redactor(pseudo, policy);
  return {
    policyId: policy.id,
    keyId: pseudo.keyId,
    redactText: (text) => redactor.redactText(text),
    redactValue: (value) => redactor.redactValue(value),
    anonymizeSession: (raw) => anonymizeSessionWith(redactor, raw),
  };
}

function toPolicy(policy: unknown): Policy {
  if (policy === undefined) return builtinPolicy();
  if (isCompiled(policy)) return policy;
  return compilePolicy(policy, '(policy given to createAnonymizer)');
}

function isCompiled(p: unknown): p is Policy {
  return typeof p === 'object' && p !== null && (p as Policy).allow instanceof Set;
}

export { loadKey, decodeKey, KEY_ENV, type KeySource } from './key.ts';
export { loadPolicy, compilePolicy, BUILTIN_POLICY_ID, builtinPolicy, type Policy } from './policy.ts';
export { anonymizeSessions, type AnonymizeStats } from './fail-closed.ts';
export { createRekeyer, type Rekeyer } from './rekeyer.ts';
export { scanSession, type ScanHit } from './scan.ts';
export { pseudonymizeSessionId, withoutSessionKey } from './session-pseudonym.ts';
export type { Identity };
