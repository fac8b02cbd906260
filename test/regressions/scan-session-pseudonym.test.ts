/**
 * Regression: `rehearse scan` flagged the bundled demo recording's own session pseudonyms
 * (`s-<hmac>` under `session_id` in turn request bodies) as residual credentials, because a
 * 20-hex-digit value under a `*session_id` key looks like a token.
 */
import { describe, expect, it } from 'vitest';
import { scanSession } from '../../src/anonymize/index.ts';
import type { Session } from '../../src/model/index.ts';

function sessionWithBodyId(id: string, bodySessionId: string): Session {
  return {
    id,
    startedAt: '2026-01-05T10:00:00.000Z',
    segment: {},
    identities: [],
    turns: [
      {
        index: 0,
        offsetMs: 0,
        input: { text: 'hello', request: { method: 'POST', url: '/api/chat', headers: {}, body: { session_id: bodySessionId, message: 'hello' } } },
        output: { status: 200, text: 'hi', latencyMs: 5 },
        exchanges: [],
      },
    ],
  };
}

describe('scan: a session pseudonym is not residue', () => {
  it('accepts the session own pseudonym (and its #n form) under session_id', () => {
    expect(scanSession(sessionWithBodyId('s-9f3e1c0b7a2d4e6f8a1b', 's-9f3e1c0b7a2d4e6f8a1b'))).toEqual([]);
    expect(scanSession(sessionWithBodyId('s-9f3e1c0b7a2d4e6f8a1b#2', 's-9f3e1c0b7a2d4e6f8a1b'))).toEqual([]);
  });

  it('still flags a token-like session_id that is not the session pseudonym', () => {
    const hits = scanSession(sessionWithBodyId('s-9f3e1c0b7a2d4e6f8a1b', 'a8F3kQ9zLm2Xp7Rt5Vw1Yb4N'));
    expect(hits.map((h) => h.type)).toEqual(['credential']);
  });
});
