import { DependencyError, postJson, type CallPolicy } from './dependency-client.ts';
import type { DefectName } from './defects.ts';

export interface HelpDocument {
  readonly id: string;
  readonly title: string;
  readonly text: string;
  readonly updated_at: string;
}

const RETRIEVAL_POLICY: CallPolicy = { deadlineMs: 1_500, maxRetries: 2, backoffMs: 100, honourRetryAfter: true };

// The no-retrieval-timeout defect: "the index is local, it is always fast".
const UNBOUNDED_POLICY: CallPolicy = { ...RETRIEVAL_POLICY, deadlineMs: undefined };

function isDocument(value: unknown): value is HelpDocument {
  if (typeof value !== 'object' || value === null) return false;
  const doc = value as Record<string, unknown>;
  return typeof doc.id === 'string' && typeof doc.title === 'string' && typeof doc.text === 'string' && typeof doc.updated_at === 'string';
}

/** Help-center search. Retrieval is an enhancement: on any failure the turn goes on without documents. */
export class RetrievalClient {
  readonly #url: string;
  readonly #defects: ReadonlySet<DefectName>;
  readonly #log: (line: string) => void;

  constructor(baseUrl: string, defects: ReadonlySet<DefectName>, log: (line: string) => void) {
    this.#url = `${baseUrl.replace(/\/$/, '')}/search`;
    this.#defects = defects;
    this.#log = log;
  }

  async search(query: string, topK: number): Promise<HelpDocument[]> {
    const policy = this.#defects.has('no-retrieval-timeout') ? UNBOUNDED_POLICY : RETRIEVAL_POLICY;
    try {
      // Long pasted messages make poor queries and slow indexes; the head carries the intent.
      const response = await postJson(this.#url, { query: query.slice(0, 500), top_k: topK }, policy);
      const body = response.body as { documents?: unknown } | null;
      if (response.status !== 200 || !Array.isArray(body?.documents)) {
        this.#log(`retrieval: HTTP ${response.status}, continuing without documents`);
        return [];
      }
      return body.documents.filter(isDocument).slice(0, topK);
    } catch (error) {
      if (!(error instanceof DependencyError)) throw error;
      this.#log(`retrieval: ${error.message}; continuing without documents`);
      return [];
    }
  }
}
