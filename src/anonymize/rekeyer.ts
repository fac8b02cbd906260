import { HarnessError } from '../errors.ts';
import type { Canary, Identity, IdentityType } from '../model/index.ts';
import { rngFor } from '../util/rng.ts';
import type { NameSlot } from './span.ts';
import { LETTER } from './patterns.ts';
import { makeSurrogate } from './surrogates.ts';
import { PSEUDO_LAST } from './word-lists.ts';

/**
 * Per-instance identities for replay: every recorded surrogate gets a fresh value of the same
 * type, derived from `instanceSeed`, unique within the process. `applyText` / `apply` rewrite
 * recorded surrogates to the instance's values; `canaries` is what leakage detection watches.
 */
export interface Rekeyer {
  readonly canaries: Canary[];
  applyText(text: string): string;
  apply<T>(value: T): T;
}

/** Values handed out in this process, and which (instance, recorded surrogate) owns each. */
const issued = new Map<string, string>();
const MAX_ATTEMPTS = 256;
const WORD_CHAR = new RegExp(`[${LETTER}0-9_]`);

/**
 * Design: each fresh value comes from `rngFor(instanceSeed, 'rekey', type, recorded, attempt)`,
 * so an instance gets the same identities in every run with the same seed (what `repro`
 * needs). A process-wide registry guarantees two instances never share a value: a clash
 * moves to the next attempt (names widen to hyphenated pairs after a few attempts, IPv4 to
 * 198.18.0.0/15). Replacement is one combined alternation of all recorded surrogates, longest
 * first, bounded by non-word characters, plus their URL-encoded forms (`%40` in query
 * strings): one linear scan per text however many identities there are. Surrogates contain
 * no JSON-escaped characters, so JSON text (and JSON inside strings) is rewritten as text.
 */
export function createRekeyer(identities: Identity[], instanceSeed: string): Rekeyer {
  const canaries: Canary[] = [];
  const replacement = new Map<string, string>();
  for (const id of identities) {
    if (replacement.has(id.surrogate)) continue;
    const { value, unique } = fresh(id.type, id.surrogate, instanceSeed);
    replacement.set(id.surrogate, value);
    if (unique) canaries.push({ type: id.type, value, recorded: id.surrogate });
    const encoded = encodeURIComponent(id.surrogate);
    if (encoded !== id.surrogate) replacement.set(encoded, encodeURIComponent(value));
  }
  // Literals first (so the engine can skip ahead to candidates); the boundary before a match
  // is checked in the callback, the one after by the lookahead.
  const pattern =
    replacement.size === 0
      ? undefined
      : new RegExp(`(?:${[...replacement.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|')})(?![${LETTER}0-9_])`, 'g');
  const applyText = (text: string): string =>
    pattern
      ? text.replace(pattern, (m: string, at: number) => (at > 0 && WORD_CHAR.test(text[at - 1] as string) ? m : (replacement.get(m) ?? m)))
      : text;
  const apply = <T>(value: T): T => applyDeep(value, applyText) as T;
  return { canaries, applyText, apply };
}

/** A fresh value for one recorded surrogate; `unique` is false only for a postcode in a full space. */
function fresh(type: IdentityType, recorded: string, instanceSeed: string): { value: string; unique: boolean } {
  const owner = `${instanceSeed}\u0000${type}\u0000${recorded}`;
  // Name tokens are per slot in the recording; a recorded surname keeps drawing surnames.
  const slot: NameSlot = type === 'name' && PSEUDO_LAST.includes(recorded.split('-')[0] ?? '') ? 'last' : 'first';
  let value = recorded;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    value = makeSurrogate(type, recorded, rngFor(instanceSeed, 'rekey', type, recorded, attempt), attempt, slot);
    const taken = issued.get(value);
    if (value !== recorded && (taken === undefined || taken === owner)) {
      issued.set(value, owner);
      return { value, unique: true };
    }
  }
  // A postcode is shared by thousands of people: past its 1,000 surrogates it may repeat, but
  // then it is no canary (it could not tell one instance from another).
  if (type === 'postcode') return { value, unique: false };
  throw new HarnessError('ANONYMIZE', `cannot find a fresh ${type} for instance ${instanceSeed}: ${MAX_ATTEMPTS} candidates were already in use`, {
    hint: `the ${type} surrogate space is nearly used up in this process; replay fewer clones per process (use --shard)`,
  });
}

function applyDeep(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => applyDeep(v, fn));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[fn(k)] = applyDeep(v, fn);
    return out;
  }
  return value;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
