import { z } from 'zod';

/** The recording format version this code writes. Readers migrate older versions up to it. */
export const FORMAT_VERSION = 1;

export const ManifestEntry = z.object({
  /** Entry name inside the archive, e.g. `sessions/000001.json`. */
  name: z.string(),
  sessionId: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  turns: z.number().int().nonnegative(),
});
export type ManifestEntry = z.infer<typeof ManifestEntry>;

/** First entry of every archive (`manifest.json`). */
export const Manifest = z.object({
  formatVersion: z.number().int().positive(),
  createdAt: z.iso.datetime({ offset: true }),
  generator: z.string(),
  anonymization: z.object({
    /** Id of the policy that was applied (`builtin/v1`, or the policy file's declared id). */
    policyId: z.string(),
    /** Short fingerprint of the HMAC key (never the key): lets `find` check it holds the right key. */
    keyId: z.string().optional(),
    droppedSessions: z.number().int().nonnegative().default(0),
  }),
  counts: z.object({
    sessions: z.number().int().nonnegative(),
    turns: z.number().int().nonnegative(),
    exchanges: z.number().int().nonnegative(),
  }),
  entries: z.array(ManifestEntry),
});
export type Manifest = z.infer<typeof Manifest>;
