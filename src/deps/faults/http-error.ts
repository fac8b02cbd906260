import type { FaultRule } from '../../scenario/schema.ts';
import type { FaultKind } from './fault-kind.ts';
import { jsonReply } from './reply-body.ts';

type HttpErrorRule = Extract<FaultRule, { kind: 'http-error' }>;
export type HttpErrorDetail = {
  status: number;
  retryAfter?: number;
  body?: unknown;
};

const REASONS: Record<number, string> = {
  429: 'rate limit exceeded',
  500: 'internal server error',
  502: 'bad gateway',
  503: 'service unavailable',
  504: 'gateway timeout',
};

/** Answers with an error status instead of calling the dependency at all (replay or upstream). */
export const httpError: FaultKind<HttpErrorRule, HttpErrorDetail> = {
  validate: (rule) => (rule.retryAfter !== undefined && rule.status !== 429 && rule.status !== 503 ? [`\`retryAfter\` is only sent with 429 or 503, not ${rule.status}`] : []),
  draw: (rule) => ({
    status: rule.status,
    ...(rule.retryAfter === undefined ? {} : { retryAfter: rule.retryAfter }),
    ...(rule.body === undefined ? {} : { body: rule.body }),
  }),
  wrap: (detail) => async () => {
    const body = detail.body ?? { error: { type: 'injected_fault', message: REASONS[detail.status] ?? `HTTP ${detail.status}` } };
    const headers: Record<string, string> = detail.retryAfter === undefined ? {} : { 'retry-after': String(detail.retryAfter) };
    if (typeof body === 'string') {
      return { type: 'reply', reply: { status: detail.status, headers: { 'content-type': 'text/plain', ...headers }, body: { type: 'whole', text: body } } };
    }
    return jsonReply(detail.status, body, headers);
  },
  describe: (d) => `http-error ${d.status}${d.retryAfter === undefined ? '' : ` retry-after ${d.retryAfter}s`}`,
};
