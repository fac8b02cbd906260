import type { LlmConversation } from '../model/index.ts';

/**
 * Request fields that change on every call without changing what is asked: the matcher
 * ignores them (by key name, at any depth). The one list; extend it here.
 */
export const VOLATILE_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'created',
  'created_at',
  'timestamp',
  'request_id',
  'requestId',
  'idempotency_key',
  'trace_id',
  'traceId',
  'span_id',
  'nonce',
  'seed',
  'user',
  'stream_options',
]);

/** What a request body is compared by, computed once per request or recorded exchange. */
export interface BodyKey {
  body: unknown;
  /** For LLM calls: the conversation tail (last user message and the tool results after it). */
  llmTail?: { start: number; texts: string[] };
  /** JSON leaves by path (`messages[4].content` → value), volatile fields left out; computed when first needed. */
  leaves?: Map<string, string>;
}

/** The outcome of comparing two bodies: a score in [0, 1] and where they first differ. */
export interface Similarity {
  score: number;
  /** e.g. `messages[4].content`, `conversation message 5 (user)`; undefined when equal. */
  differsAt?: string;
}

function flatten(value: unknown, path: string, out: Map<string, string>): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => flatten(item, `${path}[${i}]`, out));
    if (value.length === 0) out.set(path, '[]');
  } else if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    for (const [k, v] of entries) if (!VOLATILE_FIELDS.has(k)) flatten(v, path ? `${path}.${k}` : k, out);
    if (entries.length === 0) out.set(path, '{}');
  } else {
    out.set(path, JSON.stringify(value) ?? 'undefined');
  }
}

/** The key of a request body, from its parsed conversation when it is an LLM call. */
export function bodyKey(body: unknown, llm: LlmConversation | undefined): BodyKey {
  if (llm && llm.messages.length > 0) {
    const lastUser = llm.messages.findLastIndex((m) => m.role === 'user');
    const start = Math.max(0, lastUser);
    const texts = llm.messages.slice(start).map((m) => `${m.role}: ${m.content}${m.toolCalls ? ` ${JSON.stringify(m.toolCalls.map((c) => [c.name, c.arguments]))}` : ''}`);
    return { body, llmTail: { start, texts } };
  }
  return { body };
}

function leavesOf(key: BodyKey): Map<string, string> {
  if (!key.leaves) {
    key.leaves = new Map();
    flatten(key.body, '', key.leaves);
  }
  return key.leaves;
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^\p{L}\p{N}@.+-]+/u).filter(Boolean));
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let common = 0;
  for (const w of a) if (b.has(w)) common++;
  return common / (a.size + b.size - common);
}

function compareTails(live: NonNullable<BodyKey['llmTail']>, recorded: NonNullable<BodyKey['llmTail']>): Similarity {
  const n = Math.max(live.texts.length, recorded.texts.length);
  let first: number | undefined;
  for (let i = 0; i < n && first === undefined; i++) if (live.texts[i] !== recorded.texts[i]) first = i;
  if (first === undefined) return { score: 1 };
  const score = jaccard(words(live.texts.join('\n')), words(recorded.texts.join('\n')));
  const role = (live.texts[first] ?? recorded.texts[first] ?? '').split(':')[0];
  return { score, differsAt: `conversation message ${live.start + first} (${role})` };
}

function compareLeaves(live: Map<string, string>, recorded: Map<string, string>): Similarity {
  let equal = 0;
  let first: string | undefined;
  for (const [path, value] of live) {
    if (recorded.get(path) === value) equal++;
    else first ??= path;
  }
  if (first === undefined) for (const path of recorded.keys()) if (!live.has(path)) { first = path; break; }
  const union = live.size + recorded.size - equal;
  if (first === undefined) return { score: 1 };
  // A whole-text body is one leaf: grade it by shared words rather than all-or-nothing.
  if (live.size === 1 && recorded.size === 1 && live.has('') && recorded.has('')) {
    return { score: jaccard(words(live.get('') ?? ''), words(recorded.get('') ?? '')), differsAt: 'the body text' };
  }
  return { score: union === 0 ? 1 : equal / union, differsAt: first || 'the body' };
}

/** How alike two request bodies are; LLM calls by their conversation tails, others by JSON leaves. */
export function compareBodies(live: BodyKey, recorded: BodyKey): Similarity {
  if (live.llmTail && recorded.llmTail) return compareTails(live.llmTail, recorded.llmTail);
  return compareLeaves(leavesOf(live), leavesOf(recorded));
}
