import type { DefectName } from './defects.ts';

/** One finished turn of a conversation, as stored server-side. */
export interface Exchange {
  readonly user: string;
  readonly assistant: string;
}

/**
 * In-memory conversation history keyed by session id. Bounded: the least recently used
 * session is forgotten first, so a long load test cannot exhaust memory.
 */
export class ConversationStore {
  readonly #sessions = new Map<string, Exchange[]>();
  readonly #maxSessions: number;

  constructor(maxSessions = 10_000) {
    this.#maxSessions = maxSessions;
  }

  history(sessionId: string): readonly Exchange[] {
    const history = this.#sessions.get(sessionId);
    if (!history) return [];
    this.#sessions.delete(sessionId);
    this.#sessions.set(sessionId, history);
    return [...history];
  }

  append(sessionId: string, exchange: Exchange): void {
    const history = this.#sessions.get(sessionId) ?? [];
    history.push(exchange);
    this.#sessions.delete(sessionId);
    this.#sessions.set(sessionId, history);
    while (this.#sessions.size > this.#maxSessions) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
  }

  get size(): number {
    return this.#sessions.size;
  }
}

// The history-truncation defect: a "token budget" written for an old 4k-context model and
// never revisited. Only the most recent exchanges survive; nothing tells the model or the user.
const LEGACY_HISTORY_WINDOW = 2;

/** The part of the history that is sent to the model this turn. */
export function historyForPrompt(history: readonly Exchange[], defects: ReadonlySet<DefectName>): readonly Exchange[] {
  return defects.has('history-truncation') ? history.slice(-LEGACY_HISTORY_WINDOW) : history;
}
