import type { Exchange } from '../model/index.ts';
import type { Candidate } from './candidates.ts';
import { answerHeaders } from './call-controller.ts';
import type { Outcome } from './faults/fault-kind.ts';

/**
 * The recorded answer of a matched candidate (already re-keyed), as an outcome: a streamed
 * answer chunk by chunk at its recorded offsets, a whole one serialised once per candidate
 * and reused, a recorded failure (reset, timeout) replayed as a dropped connection.
 */
export function replayAnswer(candidate: Candidate): Outcome {
  return recordedAnswer(candidate.exchange, `replayed the recorded failure of turn ${candidate.turn} call ${candidate.index}: `, candidate);
}

/**
 * An exchange's recorded answer as an outcome (the virtual dependencies' and the in-process
 * msw replay's). `failurePrefix` leads the message of a replayed failure; `cache` keeps a JSON
 * body's serialised text between serves of the same exchange.
 */
export function recordedAnswer(exchange: Exchange, failurePrefix = '', cache: { servedText?: string } = {}): Outcome {
  const { response, error } = exchange;
  if (!response) return { type: 'drop', code: error?.code ?? 'recorded_failure', message: `${failurePrefix}${error?.message ?? 'no response was recorded'}` };
  const headers = answerHeaders(response.headers);
  if (response.chunks) return { type: 'reply', reply: { status: response.status, headers, body: { type: 'chunks', chunks: response.chunks } } };
  if (response.body === undefined) return { type: 'reply', reply: { status: response.status, headers, body: { type: 'whole', text: '' } } };
  if (typeof response.body === 'string') return { type: 'reply', reply: { status: response.status, headers, body: { type: 'whole', text: response.body } } };
  cache.servedText ??= JSON.stringify(response.body);
  headers['content-type'] ??= 'application/json';
  return { type: 'reply', reply: { status: response.status, headers, body: { type: 'whole', text: cache.servedText, json: response.body } } };
}
