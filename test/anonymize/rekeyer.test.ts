import { describe, expect, it } from 'vitest';
import { createAnonymizer, createRekeyer } from '../../src/anonymize/index.ts';
import { isSurrogate } from '../../src/anonymize/surrogates.ts';
import { ibanValid, luhnValid } from '../../src/anonymize/validators.ts';
import { KEY, seededSession } from './fixture.ts';

const recorded = createAnonymizer({ key: KEY }).anonymizeSession(seededSession('rk'));

describe('createRekeyer', () => {
  it('gives every recorded surrogate a fresh value of the same type and format', () => {
    const r = createRekeyer(recorded.identities, 'rk-seed~c0');
    expect(r.canaries).toHaveLength(recorded.identities.length);
    for (const c of r.canaries) {
      expect(c.value).not.toBe(c.recorded);
      if (c.type !== 'name' && c.type !== 'address') expect(isSurrogate(c.type, c.value), `${c.type} ${c.value}`).toBe(true);
      if (c.type === 'card') expect(luhnValid(c.value.replace(/\D/g, ''))).toBe(true);
      if (c.type === 'iban') expect(ibanValid(c.value.replace(/ /g, ''))).toBe(true);
      if (c.type === 'phone') expect(c.value.replace(/\d/g, '9')).toBe(c.recorded.replace(/\d/g, '9'));
    }
  });

  it('is deterministic per instance seed and unique across instances in a process', () => {
    const a = createRekeyer(recorded.identities, 'det~c1');
    const again = createRekeyer(recorded.identities, 'det~c1');
    expect(again.canaries).toEqual(a.canaries);
    const values = new Map<string, string>();
    for (let i = 0; i < 300; i++) {
      for (const c of createRekeyer(recorded.identities, `uniq~c${i}`).canaries) {
        const owner = `${i}/${c.recorded}`;
        expect(values.get(c.value) ?? owner, `${c.type} ${c.value} shared`).toBe(owner);
        values.set(c.value, owner);
      }
    }
  });

  it('rewrites recorded surrogates in text and JSON, JSON inside strings and URL-encoded forms included', () => {
    const r = createRekeyer(recorded.identities, 'apply~c0');
    const email = recorded.identities.find((i) => i.type === 'email')?.surrogate ?? '';
    const fresh = r.canaries.find((c) => c.recorded === email)?.value ?? '';
    const body = {
      text: `write to ${email}`,
      args: JSON.stringify({ email }),
      url: `/customers/${encodeURIComponent(email)}`,
      untouched: `${email}x is not the same address`,
    };
    const out = r.apply(body);
    expect(out.text).toBe(`write to ${fresh}`);
    expect(JSON.parse(out.args)).toEqual({ email: fresh });
    expect(out.url).toBe(`/customers/${encodeURIComponent(fresh)}`);
    expect(out.untouched).toBe(body.untouched);
    expect(body.text).toBe(`write to ${email}`); // input not mutated
    const turnText = recorded.turns[1]?.input.text ?? '';
    const rekeyed = r.applyText(turnText);
    for (const c of r.canaries) expect(rekeyed.includes(c.recorded) && c.type !== 'name', c.recorded).toBe(false);
  });

  it('leaves everything alone when the session has no identities', () => {
    const r = createRekeyer([], 'none');
    expect(r.canaries).toEqual([]);
    expect(r.applyText('hello 192.0.2.1')).toBe('hello 192.0.2.1');
  });
});
