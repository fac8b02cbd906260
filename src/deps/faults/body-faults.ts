import type { StreamChunk } from '../../model/index.ts';
import type { FaultRule } from '../../scenario/schema.ts';
import type { FaultKind } from './fault-kind.ts';
import { editBody } from './reply-body.ts';
import { replaceSseData, sseDataLines } from './sse-data.ts';

type TruncateRule = Extract<FaultRule, { kind: 'truncate' }>;
type MalformedRule = Extract<FaultRule, { kind: 'malformed' }>;

/** Appended to cut JSON: no JSON text can contain it after a cut, so parsing always fails. */
const GARBAGE = '<!-- rehearsal: malformed -->';

/** Keeps the first `keep` characters of a chunked body, chunk offsets unchanged. */
function cutChunks(chunks: readonly StreamChunk[], keep: number): StreamChunk[] {
  const out: StreamChunk[] = [];
  let left = keep;
  for (const chunk of chunks) {
    if (left <= 0) break;
    out.push(chunk.data.length <= left ? chunk : { offsetMs: chunk.offsetMs, data: chunk.data.slice(0, left) });
    left -= chunk.data.length;
  }
  return out;
}

/**
 * Cuts the body to `fraction` of its characters and ends the response cleanly (no declared
 * length), as a dependency that gave up mid-write would: the app gets a well-formed HTTP
 * response whose body is incomplete. Streams are cut the same way, by characters.
 */
export const truncate: FaultKind<TruncateRule, { fraction: number }> = {
  validate: (rule) => (rule.fraction >= 1 ? ['`fraction` 1 keeps the whole body: use a value below 1'] : []),
  draw: (rule) => ({ fraction: rule.fraction }),
  wrap: (detail, next) => async (call) =>
    editBody(await next(call), call.clock, (body) => {
      if (body.type === 'whole') return { type: 'whole', text: body.text.slice(0, Math.floor(body.text.length * detail.fraction)) };
      const total = body.chunks.reduce((n, c) => n + c.data.length, 0);
      return { type: 'chunks', chunks: cutChunks(body.chunks, Math.floor(total * detail.fraction)) };
    }),
  describe: (d) => `truncate to ${Math.round(d.fraction * 100)}%`,
};

function breakText(text: string): string {
  return text.slice(0, Math.ceil(text.length / 2)) + GARBAGE;
}

/**
 * Replaces the body with text that is not JSON (its first half and a marker), keeping the
 * status and content type. In a stream, the first JSON event is broken this way.
 */
export const malformed: FaultKind<MalformedRule, Record<string, never>> = {
  validate: () => [],
  draw: () => ({}),
  wrap: (_detail, next) => async (call) =>
    editBody(await next(call), call.clock, (body) => {
      if (body.type === 'whole') return { type: 'whole', text: breakText(body.text) };
      const first = sseDataLines(body.chunks)[0];
      if (first) return { type: 'chunks', chunks: replaceSseData(body.chunks, [{ ...first, text: breakText(JSON.stringify(first.value)) }]) };
      const [head, ...rest] = body.chunks;
      return { type: 'chunks', chunks: head ? [{ offsetMs: head.offsetMs, data: breakText(head.data) }, ...rest] : [] };
    }),
  describe: () => 'malformed body',
};
