import { setTimeout as sleep } from 'node:timers/promises';
import { propagationHeaders } from './trace-context.ts';

/**
 * The app's one way out to its dependencies: JSON over `fetch` with a deadline, bounded
 * retries with exponential backoff that honours `retry-after`, and trace-context propagation.
 *
 * Design note: `deadlineMs` bounds the whole call, every attempt and every backoff included,
 * so "retrieval has 1.5 s" stays true however the retries go. A timed-out attempt has used the
 * whole budget and is therefore never retried; a retry whose wait would overrun the deadline
 * is not attempted either: the caller degrades instead.
 */
export interface CallPolicy {
  /** Budget for the whole call; `undefined` means no timeout at all. */
  readonly deadlineMs: number | undefined;
  readonly maxRetries: number;
  /** First backoff; doubles on each retry. 0 retries immediately. */
  readonly backoffMs: number;
  readonly honourRetryAfter: boolean;
}

export type FailureKind = 'timeout' | 'network' | 'http' | 'protocol';

/** A dependency call that failed for good; its message is the raw error a developer would log. */
export class DependencyError extends Error {
  readonly kind: FailureKind;
  readonly status: number | undefined;
  /** How many attempts were made before giving up; set when the error leaves the retry loop. */
  attempts: number;

  constructor(kind: FailureKind, message: string, options: { status?: number; attempts: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'DependencyError';
    this.kind = kind;
    this.status = options.status;
    this.attempts = options.attempts;
  }
}

export interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
const USER_AGENT = 'support-assistant/1.0';

/** Milliseconds asked for by a `retry-after` header (delta-seconds or HTTP-date), if any. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The wait before retry number `retry` (0-based). */
export function backoffDelay(policy: CallPolicy, retry: number, retryAfterMs: number | undefined): number {
  const exponential = policy.backoffMs * 2 ** retry;
  return policy.honourRetryAfter && retryAfterMs !== undefined ? Math.max(exponential, retryAfterMs) : exponential;
}

interface AttemptFailure {
  readonly error: DependencyError;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
}

async function snippet(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/**
 * Sends `POST url` with a JSON body and returns the first response that is not retryable
 * (2xx or a definitive 4xx such as 404), consumed by `read`. Throws `DependencyError` when
 * the budget or the retries run out.
 */
async function post<T>(
  url: string,
  body: unknown,
  policy: CallPolicy,
  headers: Record<string, string>,
  read: (response: Response) => Promise<T>,
): Promise<T> {
  const startedAt = Date.now();
  const deadline = policy.deadlineMs === undefined ? undefined : startedAt + policy.deadlineMs;
  const payload = JSON.stringify(body);
  let attempts = 0;
  for (let retry = 0; ; retry++) {
    attempts++;
    const remaining = deadline === undefined ? undefined : deadline - Date.now();
    const failure = await attempt(remaining);
    if (!('error' in failure)) return failure.value;
    const exhausted = retry >= policy.maxRetries || !failure.retryable;
    const wait = backoffDelay(policy, retry, failure.retryAfterMs);
    if (exhausted || (deadline !== undefined && Date.now() + wait >= deadline)) {
      failure.error.attempts = attempts;
      throw failure.error;
    }
    if (wait > 0) await sleep(wait);
  }

  async function attempt(remaining: number | undefined): Promise<AttemptFailure | { value: T }> {
    const signal = remaining === undefined ? undefined : AbortSignal.timeout(Math.max(1, remaining));
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': USER_AGENT, ...propagationHeaders(), ...headers },
        body: payload,
        signal,
      });
    } catch (cause) {
      return failed(cause);
    }
    if (RETRYABLE_STATUS.has(response.status)) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      const text = await snippet(response);
      const error = new DependencyError('http', `POST ${url} failed with HTTP ${response.status}: ${text}`, { status: response.status, attempts });
      return { error, retryable: true, retryAfterMs };
    }
    try {
      return { value: await read(response) };
    } catch (cause) {
      // A body that is not what was promised may be a glitch (retry); a 4xx is an answer.
      if (cause instanceof DependencyError) return { error: cause, retryable: cause.kind === 'protocol', retryAfterMs: undefined };
      return failed(cause);
    }
  }

  function failed(cause: unknown): AttemptFailure {
    const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
    const detail = cause instanceof Error ? (cause.cause instanceof Error ? `${cause.message}: ${cause.cause.message}` : cause.message) : String(cause);
    const error = timedOut
      ? new DependencyError('timeout', `POST ${url} timed out after ${Date.now() - startedAt} ms`, { attempts, cause })
      : new DependencyError('network', `POST ${url} failed: ${detail}`, { attempts, cause });
    // A timed-out attempt has spent the whole budget.
    return { error, retryable: !timedOut, retryAfterMs: undefined };
  }
}

/** JSON request/response; a non-JSON success body is a protocol error (and retried). */
export function postJson(url: string, body: unknown, policy: CallPolicy, headers: Record<string, string> = {}): Promise<JsonResponse> {
  return post(url, body, policy, headers, async (response) => {
    const text = await response.text();
    try {
      return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
    } catch (cause) {
      throw new DependencyError('protocol', `POST ${url} returned HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`, { status: response.status, attempts: 1, cause });
    }
  });
}

/**
 * Opens a streamed response. Retries cover connecting and the status line only; the body is
 * read by the caller under the same deadline (the returned response's signal keeps running).
 */
export function postForStream(url: string, body: unknown, policy: CallPolicy, headers: Record<string, string> = {}): Promise<Response> {
  return post(url, body, policy, headers, async (response) => {
    if (response.status >= 400 || response.body === null) {
      const text = await snippet(response);
      throw new DependencyError('http', `POST ${url} failed with HTTP ${response.status}: ${text}`, { status: response.status, attempts: 1 });
    }
    return response;
  });
}
