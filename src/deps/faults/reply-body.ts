import type { StreamChunk } from '../../model/index.ts';
import type { Clock } from '../../util/clock.ts';
import type { Outcome, Reply, ReplyBody } from './fault-kind.ts';

/**
 * Reads a live (proxied) body to the end so a fault can edit it: a streamed body becomes
 * chunks with their arrival offsets, anything else one whole text.
 */
export async function materialize(body: ReplyBody, clock: Clock): Promise<Exclude<ReplyBody, { type: 'live' }>> {
  if (body.type !== 'live') return body;
  const decoder = new TextDecoder();
  const start = clock.now();
  const chunks: StreamChunk[] = [];
  for await (const piece of body.source) {
    const data = decoder.decode(piece, { stream: true });
    if (data) chunks.push({ offsetMs: clock.now() - start, data });
  }
  const tail = decoder.decode();
  if (tail) chunks.push({ offsetMs: clock.now() - start, data: tail });
  if (body.streamed) return { type: 'chunks', chunks };
  return { type: 'whole', text: chunks.map((c) => c.data).join('') };
}

/** The outcome with its reply's body replaced (headers and status kept); drops pass through. */
export function withBody(outcome: Outcome, body: ReplyBody): Outcome {
  if (outcome.type !== 'reply') return outcome;
  const reply: Reply = { ...outcome.reply, body };
  return { type: 'reply', reply };
}

/** Applies `edit` to the reply's body, materialising a live one first. */
export async function editBody(
  outcome: Outcome,
  clock: Clock,
  edit: (body: Exclude<ReplyBody, { type: 'live' }>) => ReplyBody,
): Promise<Outcome> {
  if (outcome.type !== 'reply') return outcome;
  return withBody(outcome, edit(await materialize(outcome.reply.body, clock)));
}

/** A JSON reply built by rehearsal itself (errors, unmatched calls). */
export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Outcome {
  return {
    type: 'reply',
    reply: { status, headers: { 'content-type': 'application/json', ...headers }, body: { type: 'whole', text: JSON.stringify(value), json: value } },
  };
}
