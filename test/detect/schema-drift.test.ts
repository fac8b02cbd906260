import { describe, expect, it } from 'vitest';
import { RunBuilder, detect, session } from './build.ts';

const recorded = session('sess-s', [
  { input: 'where is my parcel?', structured: { name: null, issue_type: 'shipping', urgency: 'low' } },
  { input: 'quiero un reembolso', structured: { name: 'Ana', issue_type: 'refund', urgency: 'high' } },
]);

function run(structured: Array<unknown>, b = new RunBuilder(), id = 'i1', variant: 'main' | 'baseline' = 'main'): RunBuilder {
  b.instance(id, { recorded, variant, ...(variant === 'baseline' ? { shadowOf: 'i1' } : {}) });
  structured.forEach((s, turn) => b.turn(id, turn, { reply: 'ok', structured: s }));
  return b;
}

describe('schema_drift', () => {
  it('reports a renamed key on the turn where it happened', () => {
    const findings = detect(run([{ name: 'Zoe', issue_type: 'shipping', urgency: 'low' }, { name: 'Zoe', issue_type: 'refund', priority: 'high' }]).build(), [recorded], 'schema_drift');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ turn: 1, title: 'turn 1 structured output: `urgency` became `priority`', evidence: { renamed: [{ from: 'urgency', to: 'priority' }] } });
  });

  it('accepts different values and null-vs-string in the same shape', () => {
    expect(detect(run([{ name: 'Zoe', issue_type: 'refund', urgency: 'high' }, { name: null, issue_type: 'billing', urgency: 'low' }]).build(), [recorded], 'schema_drift')).toEqual([]);
  });

  it('reads JSON inside the reply text when there is no structured field', () => {
    const b = new RunBuilder().instance('i1', { recorded });
    b.turn('i1', 0, { reply: 'Triage: {"name": null, "issue_type": "shipping", "urgency": 3}' });
    expect(detect(b.build(), [recorded], 'schema_drift')[0]?.evidence.retyped).toEqual([{ path: 'urgency', was: 'string', now: 'number' }]);
  });

  it('ignores paths whose shape already differs between two clean replays', () => {
    const b = run([{ name: null, issue_type: 'shipping', urgency: 'low' }, { name: 'Zoe', issue_type: 'refund', priority: 'high' }]);
    run([{ name: null, issue_type: 'shipping', urgency: 'low' }, { name: 'Zoe', issue_type: 'refund', urgency: 'high' }], b, 'i1~b1', 'baseline');
    run([{ name: null, issue_type: 'shipping', urgency: 'low' }, { name: 'Zoe', issue_type: 'refund', priority: 'high' }], b, 'i1~b2', 'baseline');
    expect(detect(b.build(), [recorded], 'schema_drift')).toEqual([]);
  });
});
