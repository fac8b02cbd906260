import { HarnessError } from '../errors.ts';
import type { Identity, IdentityType } from '../model/index.ts';
import { eachMatch, LETTER, LOWER, UPPER } from './patterns.ts';
import { secretValueForKey } from './detect-secrets.ts';
import { detectAll } from './detector.ts';
import { classifyKey, personNameTokens } from './fields.ts';
import { fieldRuleMatches, type Policy } from './policy.ts';
import type { Pseudonymizer } from './pseudonymizer.ts';
import { resolveOverlaps, type NameSlot, type Span } from './span.ts';
import { isSurrogate } from './surrogates.ts';
import { redactUrl, URLISH } from './url.ts';

/** Texts shorter than this are not cached (cheap to redo), nor longer than the max (rarely repeated). */
const CACHE_MIN_LENGTH = 24;
const CACHE_MAX_LENGTH = 16_384;
/** Characters of cached texts before the cache is cleared: about 32 MB with their results. */
const CACHE_BUDGET_CHARS = 8_000_000;
/** Deeper JSON is refused (hostile or broken input) rather than risk the call stack. */
const MAX_DEPTH = 256;

interface Cached {
  text: string;
  identities: Identity[];
}

/**
 * Replaces PII and secrets in texts and JSON values.
 *
 * - JSON inside a string (tool-call arguments, bodies stored as text) is parsed, redacted
 *   field-aware and re-serialized; URLs are split so query values and path segments are
 *   redacted decoded and re-encoded.
 * - Names found from context are remembered (in memory only) so a later bare mention of the
 *   same name, without any trigger word, is replaced the same way.
 * - Chat requests repeat the whole conversation every turn, so results per text are cached
 *   (with the identities they produced); learning a new name clears the cache.
 */
export class Redactor {
  readonly #pseudo: Pseudonymizer;
  readonly #policy: Policy;
  readonly #learned = new Map<string, NameSlot>();
  readonly #cache = new Map<string, Cached>();
  #cacheChars = 0;
  #sink: Map<string, Identity> | undefined;

  constructor(pseudo: Pseudonymizer, policy: Policy) {
    this.#pseudo = pseudo;
    this.#policy = policy;
  }

  /** Runs `fn`, returning what it returned and every identity its redactions produced. */
  collect<T>(fn: () => T): { result: T; identities: Identity[] } {
    const outer = this.#sink;
    const sink = new Map<string, Identity>();
    this.#sink = sink;
    try {
      const result = fn();
      return { result, identities: [...sink.values()] };
    } finally {
      this.#sink = outer;
      if (outer) for (const [k, v] of sink) outer.set(k, v);
    }
  }

  /**
   * Remembers the names `text` mentions (a session's pre-pass). Redacting does the learning,
   * and its cached result serves the real pass later, unless a newer name cleared the cache.
   */
  learnNames(text: string): void {
    this.redactText(text);
  }

  redactText(text: string): string {
    if (text.length < 3 || NOTHING_TO_FIND.test(text)) return text;
    const cacheable = text.length >= CACHE_MIN_LENGTH && text.length <= CACHE_MAX_LENGTH;
    if (cacheable) {
      const hit = this.#cache.get(text);
      if (hit) {
        for (const id of hit.identities) this.#record(id.type, id.surrogate);
        return hit.text;
      }
    }
    const { result, identities } = this.collect(() => this.#redactTextUncached(text));
    if (cacheable) {
      if (this.#cacheChars + text.length > CACHE_BUDGET_CHARS) this.#clearCache();
      this.#cache.set(text, { text: result, identities });
      this.#cacheChars += text.length;
    }
    return result;
  }

  /**
   * A JSON value with every string redacted, field rules applied by key and path. Unchanged
   * subtrees are returned as they are (same reference), so callers can tell "nothing found".
   */
  redactValue(value: unknown, path: string[] = []): unknown {
    if (typeof value === 'string') return this.redactField(value, path);
    if (path.length > MAX_DEPTH) {
      // No path in the message: keys can be personal data too (a map keyed by email).
      throw new HarnessError('ANONYMIZE', `JSON nested deeper than ${MAX_DEPTH} levels`, {
        hint: 'such a value cannot be checked completely, so its session is dropped (fail closed)',
      });
    }
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        path.push(String(i));
        const v = this.redactValue(value[i], path);
        path.pop();
        if (v !== value[i]) (out ??= value.slice())[i] = v;
      }
      return out ?? value;
    }
    if (value !== null && typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      let out: Record<string, unknown> | undefined;
      for (const k in obj) {
        const v = obj[k];
        path.push(k);
        const nv = this.redactValue(v, path);
        path.pop();
        const nk = simpleKey(k) ? k : this.redactText(k);
        if (nv !== v || nk !== k) {
          out ??= { ...obj };
          if (nk !== k) delete out[k];
          out[nk] = nv;
        }
      }
      return out ?? value;
    }
    return value;
  }

  /** A string under `path` (its last segment is the key): field rules first, then text detection. */
  redactField(value: string, path: readonly string[]): string {
    const key = path[path.length - 1];
    if (key === undefined || value.length === 0) return this.redactText(value);
    for (const rule of this.#policy.fields) {
      if (!fieldRuleMatches(rule.segments, path)) continue;
      return rule.kind === 'secret' ? this.#pseudo.secret(rule.name, value) : this.#identity(`custom:${rule.name}`, value);
    }
    if (this.#policy.allow.size > 0 && this.#policy.allow.has(value.toLowerCase())) return value;
    switch (classifyKey(key)) {
      case 'secret':
        return secretValueForKey(key, value) ? this.#pseudo.secret('credential', value) : this.redactText(value);
      case 'name':
      case 'generic_name': {
        const tokens = personNameTokens(value, classifyKey(key) === 'generic_name');
        if (tokens.length === 0) return this.redactText(value);
        return this.#replaceSpans(
          value,
          tokens.map((t, i) => ({ start: t.index ?? 0, end: (t.index ?? 0) + t[0].length, kind: 'identity', type: 'name', slot: i === 0 ? 'first' : 'last' })),
        );
      }
      case 'address':
        return /\p{L}/u.test(value) && /\d/.test(value) ? this.#identity('address', value) : this.redactText(value);
      case 'postcode':
        return /^[A-Z0-9][A-Z0-9 \-]{2,9}$/i.test(value) && /\d/.test(value) ? this.#identity('postcode', value) : this.redactText(value);
      case 'phone':
        return (value.match(/\d/g)?.length ?? 0) >= 7 && !/[a-z]{2}/i.test(value) ? this.#identity('phone', value) : this.redactText(value);
      default:
        return this.redactText(value);
    }
  }

  #redactTextUncached(text: string): string {
    const first = text.charCodeAt(0);
    if (first === 123 /* { */ || first === 91 /* [ */ || /^\s+[[{]/.test(text)) {
      const json = this.#tryJson(text);
      if (json !== undefined) return json;
    }
    const url = URLISH.test(text) ? text : FORM_ENCODED.test(text) ? `?${text}` : undefined;
    if (url === undefined) return this.#redactPlain(text);
    const redacted = redactUrl(url, {
      plain: (s) => this.#redactPlain(s),
      field: (value, key) => this.redactField(value, [key]),
    });
    return url === text ? redacted : redacted.slice(1);
  }

  #tryJson(text: string): string | undefined {
    const trimmed = text.trim();
    const last = trimmed[trimmed.length - 1];
    if (last !== '}' && last !== ']') return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return undefined; // malformed JSON (a model's partial tool arguments): plain text rules apply
    }
    if (parsed === null || typeof parsed !== 'object') return undefined;
    const redacted = this.redactValue(parsed);
    return redacted === parsed ? text : JSON.stringify(redacted);
  }

  #redactPlain(text: string): string {
    const spans = this.spansIn(text);
    return spans.length === 0 ? text : this.#replaceSpans(text, spans);
  }

  /** What would be replaced in plain `text`: detections plus bare mentions of learned names. */
  spansIn(text: string): Span[] {
    const spans = detectAll(text, this.#policy);
    return this.#learned.size > 0 && this.#addLearnedNames(text, spans) ? resolveOverlaps(spans) : spans;
  }

  #replaceSpans(text: string, spans: Span[]): string {
    let out = '';
    let at = 0;
    for (const s of spans) {
      out += text.slice(at, s.start) + this.replacement(s, text.slice(s.start, s.end));
      at = s.end;
    }
    return out + text.slice(at);
  }

  /** What replaces one detected value: a secret token, a surrogate, or the value itself when allowed or already a surrogate. */
  replacement(s: Span, value: string): string {
    if (s.kind === 'secret') return this.#pseudo.secret(s.type, value);
    if (this.#policy.allow.has(value.toLowerCase())) return value;
    if (s.type === 'email' && value.includes('%40')) return this.#identity('email', value.replace('%40', '@')).replace('@', '%40');
    if (s.type === 'name') this.#learn(value, s.slot ?? 'first');
    return this.#identity(s.type, value, s.slot);
  }

  /** Adds a span for each bare mention of a learned name; true when it added any. */
  #addLearnedNames(text: string, spans: Span[]): boolean {
    let added = false;
    for (const m of eachMatch(CAPITALISED_WORD, text)) {
      const slot = this.#learned.get(m[0]);
      if (slot === undefined) continue;
      spans.push({ start: m.index, end: m.index + m[0].length, kind: 'identity', type: 'name', slot });
      added = true;
    }
    return added;
  }

  #learn(name: string, slot: NameSlot): void {
    if (this.#learned.has(name) || isSurrogate('name', name)) return;
    this.#learned.set(name, slot);
    this.#clearCache(); // cached results may contain this name unreplaced
  }

  #clearCache(): void {
    this.#cache.clear();
    this.#cacheChars = 0;
  }

  #identity(type: IdentityType, value: string, slot?: NameSlot): string {
    const surrogate = this.#pseudo.identity(type, value, slot);
    this.#record(type, surrogate);
    return surrogate;
  }

  #record(type: IdentityType, surrogate: string): void {
    this.#sink?.set(`${type}\u0000${surrogate}`, { type, surrogate });
  }
}

/** One short lower-case word (`assistant`, `function`, `stop`): no detector can match it. */
/** A form-encoded body (`email=jane%40x.com&name=Jane+Doe`): redacted like a query string. */
const FORM_ENCODED = /^[\w.\-[\]]{1,64}=[^&\s]*(?:&[\w.\-[\]]{1,64}=[^&\s]*)*$/;
const NOTHING_TO_FIND = /^[a-z_]{0,24}$/;
const SIMPLE_KEY = /^[A-Za-z_$][\w$.\-]*$/;
const simpleKeys = new Set<string>();

/** An identifier-like key (`content`, `tool_calls`) cannot hold PII; memoised, keys repeat a lot. */
function simpleKey(k: string): boolean {
  if (simpleKeys.has(k)) return true;
  if (!SIMPLE_KEY.test(k)) return false;
  if (simpleKeys.size < 10_000) simpleKeys.add(k);
  return true;
}
const CAPITALISED_WORD = new RegExp(`(?<![${LETTER}])[${UPPER}][${LOWER}'’]{1,30}(?![${LETTER}])`, 'g');
