import { describe, expect, it } from 'vitest';
import { RunBuilder, depExchange, detect, latency, session } from './build.ts';

const recorded = session('sess-t', [{ input: 'reset my password', exchanges: [depExchange('retrieval', 'search', { query: 'reset my password' }), depExchange('tool', 'lookup_account', { email: 'a@b.test' })] }]);

function turnWithSlowRetrieval(callMs: number, turnMs: number): RunBuilder {
  const b = new RunBuilder().instance('i1', { recorded, faulted: true });
  b.call('i1', 0, { kind: 'retrieval', name: 'search', body: { query: 'reset my password' }, faults: [latency(5000)], durationMs: callMs, t: callMs + 10 });
  return b.turn('i1', 0, { reply: 'Here is how.', latencyMs: turnMs });
}

describe('latency_collapse', () => {
  it('reports a turn that waited out the injected retrieval delay', () => {
    const findings = detect(turnWithSlowRetrieval(5010, 5600).build(), [recorded], 'latency_collapse');
    expect(findings).toMatchObject([{ turn: 0, severity: 'high', evidence: { injectedMs: 5000, callMs: 5010, turnMs: 5600, faults: ['latency'] } }]);
  });

  it('finds nothing when the app timed the slow call out and answered', () => {
    expect(detect(turnWithSlowRetrieval(1500, 2100).build(), [recorded], 'latency_collapse')).toEqual([]);
  });

  it('does not hold waiting for the model against the app', () => {
    const b = new RunBuilder().instance('i1', { recorded, faulted: true });
    b.call('i1', 0, { kind: 'llm', faults: [latency(5000)], durationMs: 5050 }).turn('i1', 0, { reply: 'ok', latencyMs: 5200 });
    expect(detect(b.build(), [recorded], 'latency_collapse')).toEqual([]);
  });

  it('reports turns over the budget', () => {
    const b = new RunBuilder().instance('i1', { recorded }).turn('i1', 0, { reply: 'ok', latencyMs: 4200 });
    expect(detect(b.build(), [recorded], 'latency_collapse', { detectors: { latency_collapse: { turnBudget: '4s' } } })).toMatchObject([{ title: 'turn 0 took 4200 ms, over the 4000 ms budget' }]);
    expect(detect(b.build(), [recorded], 'latency_collapse')).toEqual([]);
  });

  it('reports the same call made twice when the recording made it once, but not retries of a failure', () => {
    const twice = new RunBuilder().instance('i1', { recorded });
    twice.call('i1', 0, { kind: 'tool', name: 'lookup_account', body: { email: 'a@b.test' } }).call('i1', 0, { kind: 'tool', name: 'lookup_account', body: { email: 'a@b.test' } });
    expect(detect(twice.build(), [recorded], 'latency_collapse')).toMatchObject([{ evidence: { count: 2, recordedCount: 1 } }]);
    const retried = new RunBuilder().instance('i1', { recorded });
    retried.call('i1', 0, { kind: 'tool', name: 'lookup_account', body: { email: 'a@b.test' }, status: 503 }).call('i1', 0, { kind: 'tool', name: 'lookup_account', body: { email: 'a@b.test' } });
    expect(detect(retried.build(), [recorded], 'latency_collapse')).toEqual([]);
  });
});
