import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors.ts';
import { failureRatesBySegment, findingId } from '../../src/detect/index.ts';
import { Finding } from '../../src/model/index.ts';
import { RunBuilder, detect, session } from './build.ts';

const en = session('sess-en', [{ input: 'hi', structured: { urgency: 'low' } }], [], { language: 'en' });
const es = session('sess-es', [{ input: 'hola', structured: { urgency: 'low' } }, { input: 'gracias' }], [], { language: 'es' });

function run(): RunBuilder {
  const b = new RunBuilder();
  b.instance('a', { recorded: en }).turn('a', 0, { reply: 'hi', structured: { urgency: 'low' } });
  b.call('a', 0, { kind: 'tool', name: 'lookup_order' });
  b.instance('b', { recorded: es }).turn('b', 0, { reply: 'hola', structured: { priority: 'low' } }).turn('b', 1, { reply: 'de nada' });
  b.call('b', 1, { kind: 'tool', name: 'refund', match: { mode: 'unmatched', policy: 'warn' } });
  return b;
}

describe('runDetectors', () => {
  it('returns schema-valid findings sorted by severity, instance, turn, with stable ids and the repro command', () => {
    const findings = detect(run().build(), [en, es]);
    expect(findings.map((f) => [f.class, f.sessionInstance, f.turn])).toEqual([['schema_drift', 'b', 0], ['unmatched_call', 'b', 1]]);
    for (const f of findings) expect(Finding.safeParse(f).success).toBe(true);
    expect(findings[0]).toMatchObject({ runId: 'run-1', recordedSession: 'sess-es', segment: { language: 'es' }, repro: 'rehearse repro rec.tar.gz --instance b --seed 7' });
    expect(findings[0]?.id).toBe(findingId('schema_drift', 'b', 0, 'shape'));
    expect(detect(run().build(), [en, es]).map((f) => f.id)).toEqual(findings.map((f) => f.id));
  });

  it('skips disabled detectors', () => {
    const findings = detect(run().build(), [en, es], undefined, { detectors: { schema_drift: { enabled: false } } });
    expect(findings.map((f) => f.class)).toEqual(['unmatched_call']);
  });

  it('refuses a journal whose sessions are not in the recordings given', () => {
    expect(() => detect(run().build(), [en])).toThrow(HarnessError);
  });
});

describe('failureRatesBySegment', () => {
  it('breaks failure rates down per class, segment, turn-count bucket and tool', () => {
    const data = run().build();
    const breakdown = failureRatesBySegment(data, detect(data, [en, es]));
    expect(breakdown.overall).toMatchObject({ instances: 2, failing: 1, rate: 0.5, byClass: { schema_drift: { failing: 1, rate: 0.5 }, leakage: { failing: 0, rate: 0 } } });
    expect(breakdown.bySegment.map((r) => [r.key, r.value, r.instances, r.failing])).toEqual([['language', 'en', 1, 0], ['language', 'es', 1, 1]]);
    expect(breakdown.byTurnBucket.map((r) => [r.bucket, r.rate])).toEqual([['1', 0], ['2-3', 1]]);
    expect(breakdown.byTool.map((r) => [r.tool, r.failing])).toEqual([['lookup_order', 0], ['refund', 1]]);
  });
});
