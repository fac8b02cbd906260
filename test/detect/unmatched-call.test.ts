import { describe, expect, it } from 'vitest';
import { RunBuilder, detect, session } from './build.ts';

const recorded = session('sess-u', [{ input: 'hello' }]);

describe('unmatched_call', () => {
  it('reports calls the recording could not answer, with the nearest candidate', () => {
    const b = new RunBuilder().instance('i1', { recorded });
    b.call('i1', 0, { kind: 'tool', name: 'refund_order', match: { mode: 'unmatched', policy: 'error', nearest: { turn: 0, index: 1, why: 'path differs' } } });
    b.call('i1', 0, { kind: 'tool', name: 'lookup_order' });
    const findings = detect(b.build(), [recorded], 'unmatched_call');
    expect(findings).toMatchObject([{ turn: 0, severity: 'high', evidence: { calls: [{ name: 'refund_order', nearest: { turn: 0, index: 1, why: 'path differs' } }] } }]);
  });

  it('finds nothing when every call replayed', () => {
    const b = new RunBuilder().instance('i1', { recorded });
    b.call('i1', 0, { kind: 'tool', name: 'lookup_order' });
    expect(detect(b.build(), [recorded], 'unmatched_call')).toEqual([]);
  });
});
