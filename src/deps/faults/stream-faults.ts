import type { FaultRule } from '../../scenario/schema.ts';
import type { FaultKind } from './fault-kind.ts';
import { editBody } from './reply-body.ts';

type StallRule = Extract<FaultRule, { kind: 'stream-stall' }>;
type CutRule = Extract<FaultRule, { kind: 'stream-cut' }>;

/*
 * A whole (non-streamed) body counts as one chunk: `afterChunks: 0` stalls or cuts it after
 * the status line, a larger value leaves it alone.
 */

/** Pauses a stream for `ms` after its first `afterChunks` chunks, then resumes it. */
export const streamStall: FaultKind<StallRule, { afterChunks: number; ms: number }> = {
  validate: () => [],
  draw: (rule) => ({ afterChunks: rule.afterChunks, ms: rule.ms }),
  wrap: (detail, next) => async (call) =>
    editBody(await next(call), call.clock, (body) => {
      const chunks = body.type === 'chunks' ? body.chunks : [{ offsetMs: 0, data: body.text }];
      return {
        type: 'chunks',
        chunks: chunks.map((c, i) => (i < detail.afterChunks ? c : { offsetMs: c.offsetMs + detail.ms, data: c.data })),
      };
    }),
  describe: (d) => `stream-stall ${d.ms} ms after ${d.afterChunks} chunk(s)`,
};

/**
 * Ends a stream cleanly after its first `afterChunks` chunks: no final event, no `[DONE]`,
 * as when an upstream proxy gives up. (An abrupt end is the `reset` fault.)
 */
export const streamCut: FaultKind<CutRule, { afterChunks: number }> = {
  validate: () => [],
  draw: (rule) => ({ afterChunks: rule.afterChunks }),
  wrap: (detail, next) => async (call) =>
    editBody(await next(call), call.clock, (body) => {
      if (body.type === 'chunks') return { type: 'chunks', chunks: body.chunks.slice(0, detail.afterChunks) };
      return detail.afterChunks === 0 ? { type: 'whole', text: '' } : body;
    }),
  describe: (d) => `stream-cut after ${d.afterChunks} chunk(s)`,
};
