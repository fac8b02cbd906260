import { describe, expect, it } from 'vitest';
import { pseudonymizeSessionId, withoutSessionKey } from '../../src/anonymize/index.ts';
import type { Session } from '../../src/model/index.ts';

const KEY = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');

describe('session pseudonyms', () => {
  it('are pinned: recordings already written must stay findable by their production id', () => {
    expect(pseudonymizeSessionId(KEY, 'support-4411')).toBe('s-3e5cc83315e6392033ca');
    expect(pseudonymizeSessionId(KEY, 'abc#2')).toBe('s-2d69d4121b6b50b1cb46#2');
  });

  it('replace every occurrence of the production id, and refuse a session that kept it', () => {
    const raw: Session = {
      id: 'support-4411',
      startedAt: '2026-01-01T00:00:00.000Z',
      segment: {},
      identities: [],
      turns: [{ index: 0, offsetMs: 0, input: { text: 'ticket support-4411' }, output: { status: 200, text: 'ok', latencyMs: 1 }, exchanges: [] }],
    };
    const safe = withoutSessionKey(raw, raw.id, (id) => pseudonymizeSessionId(KEY, id));
    expect(JSON.stringify(safe)).not.toContain('support-4411');
    expect(safe.turns[0]?.input.text).toBe('ticket s-3e5cc83315e6392033ca');
    expect(() => withoutSessionKey(raw, raw.id)).toThrow(expect.objectContaining({ code: 'ANONYMIZE', hint: expect.stringContaining('key') }));
  });
});
