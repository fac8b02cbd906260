import type { Candidate } from './candidates.ts';
import { answerHeaders } from './call-controller.ts';
import type { Outcome } from './faults/fault-kind.ts';

/**
 * The recorded answer of a matched candidate (already re-keyed), as an outcome: a streamed
 * answer chunk by chunk at its recorded offsets, a whole one serialised once per candidate
 * and reused, a recorded failure (reset, timeout) replayed as a dropped connection.
 */
export function replayAnswer(candidate: Candidate): Outcome {
  const { response, error } = candidate.exchange;
  if (!response) {
    return {
      type: 'drop',
      code: error?.code ?? 'recorded_failure',
      message: `replayed the recorded failure of turn ${candidate.turn} call ${candidate.index}: ${error?.message ?? 'no response was recorded'}`,
    };
  }
  const headers = answerHeaders(response.headers);
  if (response.chunks) return { type: 'reply', reply: { status: response.status, headers, body: { type: 'chunks', chunks: response.chunks } } };
  if (response.body === undefined) return { type: 'reply', reply: { status: response.status, headers, body: { type: 'whole', text: '' } } };
  if (typeof response.body === 'string') return { type: 'reply', reply: { status: response.status, headers, body: { type: 'whole', text: response.body } } };
  candidate.servedText ??= JSON.stringify(response.body);
  headers['content-type'] ??= 'application/json';
  return { type: 'reply', reply: { status: response.status, headers, body: { type: 'whole', text: candidate.servedText, json: response.body } } };
}
