import type { FaultRule } from '../../scenario/schema.ts';
import type { FaultKind } from './fault-kind.ts';
import { editBody } from './reply-body.ts';

type RetrievalRule = Extract<FaultRule, { kind: 'retrieval' }>;
export type RetrievalDetail = {
  mode: RetrievalRule['mode'];
  keep: number;
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys under which search APIs return their documents (Elasticsearch nests `hits.hits`). */
const DOCUMENT_KEYS = ['documents', 'results', 'data', 'hits', 'matches', 'items', 'chunks'];
/** Date fields `stale` moves back in time, on the document or its `metadata` / `_source`. */
const DATE_KEYS = ['updated_at', 'updatedAt', 'last_modified', 'lastModified', 'modified', 'published_at', 'date'];
/** How far back `stale` moves dates: over a year, older than any "recent" cut-off. */
const STALE_BY_MS = 400 * 86_400_000;

/** The holder and key of the answer's document list, or undefined when it has none. */
function documentList(answer: unknown): { holder: Json; key: string } | undefined {
  if (!isObject(answer)) return undefined;
  for (const key of DOCUMENT_KEYS) {
    const value = answer[key];
    if (Array.isArray(value)) return { holder: answer, key };
    if (isObject(value) && Array.isArray(value.hits)) return { holder: value, key: 'hits' };
  }
  return undefined;
}

function staleDate(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const t = Date.parse(value);
  if (Number.isNaN(t)) return value;
  const iso = new Date(t - STALE_BY_MS).toISOString();
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? iso.slice(0, 10) : iso;
}

function makeStale(doc: unknown): void {
  for (const holder of [doc, isObject(doc) ? doc.metadata : undefined, isObject(doc) ? doc._source : undefined]) {
    if (!isObject(holder)) continue;
    for (const key of DATE_KEYS) if (key in holder) holder[key] = staleDate(holder[key]);
  }
}

/**
 * Edits the documents of a retrieval answer: `fewer` keeps the first `keep`, `empty` none,
 * `stale` moves every known date field 400 days back (content is kept: the recording holds
 * no older version of it). A top-level array answer is the document list itself.
 */
export const retrieval: FaultKind<RetrievalRule, RetrievalDetail> = {
  validate: (rule) => (rule.mode !== 'fewer' && rule.keep !== 1 ? [`\`keep\` only applies to mode fewer, not ${rule.mode}`] : []),
  draw: (rule) => ({ mode: rule.mode, keep: rule.keep }),
  wrap: (detail, next) => async (call) =>
    editBody(await next(call), call.clock, (body) => {
      if (body.type !== 'whole') return body;
      let answer: unknown;
      try {
        answer = structuredClone(body.json) ?? JSON.parse(body.text);
      } catch {
        return body;
      }
      const edit = (docs: unknown[]): unknown[] => {
        if (detail.mode === 'empty') return [];
        if (detail.mode === 'fewer') return docs.slice(0, detail.keep);
        docs.forEach(makeStale);
        return docs;
      };
      if (Array.isArray(answer)) answer = edit(answer);
      else {
        const found = documentList(answer);
        if (!found) return body;
        found.holder[found.key] = edit(found.holder[found.key] as unknown[]);
      }
      return { type: 'whole', text: JSON.stringify(answer), json: answer };
    }),
  describe: (d) => (d.mode === 'fewer' ? `retrieval fewer (keep ${d.keep})` : `retrieval ${d.mode}`),
};
