import type { FaultRule } from '../../scenario/schema.ts';
import type { FaultKind } from './fault-kind.ts';
import { waitOrDrop } from './wait.ts';

type HangRule = Extract<FaultRule, { kind: 'hang' }>;
type ResetRule = Extract<FaultRule, { kind: 'reset' }>;

/**
 * Never answers: waits until the app gives up, or `ms` passes, then drops the connection
 * (a dependency that accepted the call and went silent, then a load balancer cut it).
 */
export const hang: FaultKind<HangRule, { ms: number }> = {
  validate: () => [],
  draw: (rule) => ({ ms: rule.ms }),
  wrap: (detail) => async (call) =>
    (await waitOrDrop(call, detail.ms)) ?? { type: 'drop', code: 'hang', message: `no answer for ${detail.ms} ms, then the connection was dropped` },
  describe: (d) => `hang ${d.ms} ms`,
};

/** Destroys the socket without a response: the app sees a connection reset. */
export const reset: FaultKind<ResetRule, Record<string, never>> = {
  validate: () => [],
  draw: () => ({}),
  wrap: () => async () => ({ type: 'drop', code: 'ECONNRESET', message: 'connection reset by an injected fault' }),
  describe: () => 'reset',
};
