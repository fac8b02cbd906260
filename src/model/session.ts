import { z } from 'zod';
import { Exchange, RecordedRequest } from './exchange.ts';

/**
 * Kinds of identity the anonymizer replaces with surrogates. Surrogates of these kinds are the
 * canaries replay re-keys per session instance and watches for cross-session leakage.
 * `custom:<rule>` comes from a policy rule (e.g. `custom:account_id`).
 */
export const IdentityType = z.union([
  z.enum(['email', 'phone', 'card', 'iban', 'ipv4', 'ipv6', 'national_id', 'name', 'address', 'postcode']),
  z.string().regex(/^custom:[a-z0-9_]+$/),
]);
export type IdentityType = z.infer<typeof IdentityType>;

/** One entry of a session's identity table: the type and the surrogate — never the original. */
export const Identity = z.object({
  type: IdentityType,
  surrogate: z.string().min(1),
});
export type Identity = z.infer<typeof Identity>;

export const TurnOutput = z.object({
  status: z.number().int(),
  /** The reply text as the user saw it (assembled when streamed). */
  text: z.string(),
  /** Structured output (JSON reply or JSON found inside it), when there is one. */
  structured: z.unknown().optional(),
  latencyMs: z.number().nonnegative(),
  /** Time to first token/byte of the reply, when streamed. */
  ttftMs: z.number().nonnegative().optional(),
  error: z.string().optional(),
});
export type TurnOutput = z.infer<typeof TurnOutput>;

export const Turn = z.object({
  index: z.number().int().nonnegative(),
  /** From the session's start to the moment the user sent this turn. */
  offsetMs: z.number().nonnegative(),
  input: z.object({
    /** The user's words. */
    text: z.string(),
    /** The inbound request as the app received it, when recorded by proxy or middleware. */
    request: RecordedRequest.optional(),
  }),
  output: TurnOutput,
  /** Outbound calls made while answering this turn, in start order. */
  exchanges: z.array(Exchange),
});
export type Turn = z.infer<typeof Turn>;

export const Session = z.object({
  /** Pseudonymous id (never the production id). */
  id: z.string().min(1),
  /** ISO-8601 time the session started. */
  startedAt: z.iso.datetime({ offset: true }),
  /** Segment tags: language, channel, app version, … (string values only, for breakdowns). */
  segment: z.record(z.string(), z.string()),
  identities: z.array(Identity),
  turns: z.array(Turn),
});
export type Session = z.infer<typeof Session>;
