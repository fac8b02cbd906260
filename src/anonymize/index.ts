/**
 * CONTRACT STUB — the anonymizer helper replaces these bodies; signatures are what the
 * recorder, importers and replayer code against. Keep them (extend, don't break).
 */
import { HarnessError } from '../errors.ts';
import type { Canary, Identity, Session } from '../model/index.ts';

export interface AnonymizerOptions {
  /** HMAC-SHA256 key (≥ 16 bytes). Never written anywhere. */
  key: Buffer;
  /** Loaded policy (extra rules, allow-list); built-in policy when absent. */
  policy?: unknown;
}

export interface Anonymizer {
  readonly policyId: string;
  /** Short fingerprint of the key, safe to store in a manifest. */
  readonly keyId: string;
  /** Replaces PII and secrets in free text. The same original always gives the same surrogate. */
  redactText(text: string): string;
  /** Deep copy of a JSON value with every string (and JSON nested in strings) redacted. */
  redactValue(value: unknown): unknown;
  /**
   * Anonymizes a raw session: inputs, replies, every exchange (URL, headers — credential
   * headers dropped —, bodies, chunks, parsed llm conversation), and fills `identities`.
   * Throws on failure; callers drop the session (fail closed), never write it raw.
   */
  anonymizeSession(raw: Session): Session;
}

export function createAnonymizer(_options: AnonymizerOptions): Anonymizer {
  throw new HarnessError('INTERNAL', 'anonymizer not implemented yet');
}

export interface KeySource {
  keyFile?: string;
  /** Environment variable holding the key (hex or base64); default `REHEARSAL_ANON_KEY`. */
  env?: NodeJS.ProcessEnv;
  /** Generate a random throwaway key (explicit opt-in only). */
  ephemeral?: boolean;
}

/** Loads the HMAC key or throws HarnessError('ANONYMIZE') saying how to provide one. */
export async function loadKey(_source: KeySource): Promise<Buffer> {
  throw new HarnessError('INTERNAL', 'loadKey not implemented yet');
}

/**
 * Per-instance identities for replay: every recorded surrogate gets a fresh value of the same
 * type, derived from `instanceSeed`, unique within the run. `apply` rewrites recorded
 * surrogates to the instance's values anywhere in a JSON value or text (inputs, dependency
 * answers); `canaries` is what leakage detection watches.
 */
export interface Rekeyer {
  readonly canaries: Canary[];
  applyText(text: string): string;
  apply<T>(value: T): T;
}

export function createRekeyer(_identities: Identity[], _instanceSeed: string): Rekeyer {
  throw new HarnessError('INTERNAL', 'rekeyer not implemented yet');
}

/** A residual PII/secret hit: type and where, never the value. */
export interface ScanHit {
  type: string;
  session: string;
  turn: number | null;
  /** e.g. `turns[2].exchanges[0].request.body.messages[3].content` */
  location: string;
}

export function scanSession(_session: Session): ScanHit[] {
  throw new HarnessError('INTERNAL', 'scanSession not implemented yet');
}

export type { Identity };
