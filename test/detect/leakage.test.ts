import { describe, expect, it } from 'vitest';
import type { Canary } from '../../src/model/index.ts';
import { RunBuilder, detect, session, toolResult, user } from './build.ts';

const recorded = session('sess-l', [{ input: 'I am ana.ruiz@example.org' }, { input: 'what is my plan?' }], [{ type: 'email', surrogate: 'ana.ruiz@example.org' }]);
const canary = (value: string): Canary[] => [{ type: 'email', value, recorded: 'ana.ruiz@example.org' }];

function twoSessions(leak: boolean): RunBuilder {
  const b = new RunBuilder();
  b.instance('s1', { recorded, canaries: canary('zoe.kim@rehearsal.test') }).instance('s2', { recorded, canaries: canary('max.lee@rehearsal.test') });
  for (const [id, email] of [['s1', 'zoe.kim@rehearsal.test'], ['s2', 'max.lee@rehearsal.test']] as const) {
    b.call(id, 0, { kind: 'tool', name: 'lookup_account', body: { email } });
    // With the defect, s1's LLM request carries the profile s2's lookup returned.
    const profile = leak && id === 's1' ? 'max.lee@rehearsal.test' : email;
    b.call(id, 1, { messages: [user('what is my plan?'), toolResult(JSON.stringify({ email: profile, plan: 'pro' }))] });
    b.turn(id, 1, { reply: `Your plan is pro (${profile}).` });
  }
  return b;
}

describe('leakage', () => {
  it('names both instances and where the foreign identity appeared', () => {
    const findings = detect(twoSessions(true).build(), [recorded], 'leakage');
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({ sessionInstance: 's1', turn: 1, severity: 'critical', evidence: { seenIn: 's1', owner: 's2' } });
    const places = (f?.evidence.hits as Array<{ where: string }>).map((h) => h.where);
    expect(places).toEqual(expect.arrayContaining(['reply', 'LLM request (llm/gpt-4o-mini)']));
    // Replaying s1 alone cannot show the leak: its repro replays the owner alongside.
    expect(f?.repro).toBe('rehearse repro rec.tar.gz --instance s1 --seed 7 --with s2');
  });

  it('finds nothing when each session only sees its own identities', () => {
    expect(detect(twoSessions(false).build(), [recorded], 'leakage')).toEqual([]);
  });

  it('does not count a control replay of the same instance as another session', () => {
    const b = new RunBuilder();
    b.instance('s1', { recorded, canaries: canary('zoe.kim@rehearsal.test'), faulted: true });
    b.instance('s1~control', { recorded, canaries: canary('zoe.kim+c@rehearsal.test'), variant: 'control', shadowOf: 's1' });
    b.turn('s1', 0, { reply: 'hello zoe.kim+c@rehearsal.test' });
    expect(detect(b.build(), [recorded], 'leakage')).toEqual([]);
  });

  it('reports a leaked identity once, naming the main instance, when its control shares it', () => {
    const b = twoSessions(true);
    // s2's control replays the same user: it carries the same canary as s2.
    b.instance('s2-ctl', { recorded, canaries: canary('max.lee@rehearsal.test'), variant: 'control', shadowOf: 's2' });
    const findings = detect(b.build(), [recorded], 'leakage');
    expect(findings).toHaveLength(1);
    expect(findings[0]?.evidence).toMatchObject({ seenIn: 's1', owner: 's2' });
    // Either of the owner's instances may be the one that crossed: the repro replays both.
    expect(findings[0]?.repro).toMatch(/ --with s2 --with s2-ctl$/);
  });

  it('skips canaries shorter than minCanaryLength', () => {
    const b = new RunBuilder();
    b.instance('s1', { recorded, canaries: [{ type: 'name', value: 'Al', recorded: 'Bo' }] }).instance('s2', { recorded, canaries: [{ type: 'name', value: 'Ed', recorded: 'Bo' }] });
    b.turn('s1', 0, { reply: 'Ed said hi' });
    expect(detect(b.build(), [recorded], 'leakage')).toEqual([]);
  });
});
