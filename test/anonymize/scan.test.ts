import { describe, expect, it } from 'vitest';
import { compilePolicy, createAnonymizer, scanSession } from '../../src/anonymize/index.ts';
import { KEY, SEEDED, seededSession } from './fixture.ts';

describe('scanSession', () => {
  it('reports residue by type, session, turn and location, never the value', () => {
    const hits = scanSession(seededSession('raw-1'));
    const types = new Set(hits.map((h) => h.type));
    for (const t of ['email', 'phone', 'card', 'iban', 'ipv4', 'national_id', 'name', 'address', 'credential_header', 'credential']) {
      expect(types, t).toContain(t);
    }
    expect([...types].some((t) => t.startsWith('secret:'))).toBe(true);
    expect(hits.every((h) => h.session === 'raw-1')).toBe(true);
    expect(hits.some((h) => h.turn === 1 && h.location === 'turns[1].input.text')).toBe(true);
    expect(hits.some((h) => h.location === 'turns[0].exchanges[0].llm.output[0].toolCalls[0].arguments<json>.email')).toBe(true);
    const serialized = JSON.stringify(hits);
    for (const value of Object.values(SEEDED)) expect(serialized).not.toContain(value);
  });

  it('finds nothing in an anonymized session', () => {
    expect(scanSession(createAnonymizer({ key: KEY }).anonymizeSession(seededSession()))).toEqual([]);
  });

  it('honours a policy: allow-listed values pass, custom rules count', () => {
    const session = seededSession();
    const clean = createAnonymizer({ key: KEY }).anonymizeSession(session);
    clean.turns[1]!.input.text = 'write to support@acme.com about ACC-123456';
    const policy = compilePolicy({ id: 'p', rules: [{ name: 'account_id', pattern: 'ACC-\\d{6}' }], allow: ['support@acme.com'] }, 'inline');
    expect(scanSession(clean, policy).map((h) => h.type)).toEqual(['custom:account_id']);
    expect(scanSession(clean).map((h) => h.type)).toEqual(['email']);
  });
});
