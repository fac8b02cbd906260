import { describe, expect, it } from 'vitest';
import { parseValueSource } from '../../src/record/value-source.ts';
import { getByPointer } from '../../src/util/json-pointer.ts';
import { newTraceparent, readPropagated, traceIdOf } from '../../src/record/propagation.ts';
import { parseSegmentCap, AdmissionPolicy, sampledIn } from '../../src/record/admission.ts';
import { parseRotate, rotatedPath } from '../../src/record/rotation.ts';

const message = {
  url: '/conversations/c-42/messages?sid=q-7',
  headers: { 'x-session-id': 'h-1', cookie: 'theme=dark; sid=c%2F9' },
  body: { session_id: 's-3', session: { id: 'nested', 'a/b': 'slash' }, list: [{ v: 1 }] },
};

describe('value sources', () => {
  it.each([
    ['header:X-Session-Id', 'h-1'],
    ['cookie:sid', 'c/9'],
    ['query:sid', 'q-7'],
    ['json:session_id', 's-3'],
    ['json:/session/id', 'nested'],
    ['json:/session/a~1b', 'slash'],
    ['json:/list/0/v', '1'],
    ['path:/conversations/:id/…', 'c-42'],
    ['path:/conversations/:id/messages', 'c-42'],
    ['json:/missing', undefined],
  ])('%s reads %s', (spec, expected) => {
    expect(parseValueSource(spec, '--session-from').read(message)).toBe(expected);
  });

  it.each(['session_id', 'nope:x', 'json:', 'path:/no/params'])('rejects %s with a usage error and a hint', (spec) => {
    expect(() => parseValueSource(spec, '--session-from')).toThrow(expect.objectContaining({ code: 'USAGE', hint: expect.stringContaining('header:') }));
  });

  it('reads RFC 6901 pointers', () => {
    expect(getByPointer({ 'm~n': 1 }, '/m~0n')).toBe(1);
    expect(getByPointer({ a: 1 }, '')).toEqual({ a: 1 });
  });
});

describe('propagation', () => {
  it('reads rehearsal headers, baggage and traceparent', () => {
    const tp = newTraceparent();
    expect(readPropagated({ 'x-rehearsal-session': 's1', 'x-rehearsal-turn': '2', traceparent: tp })).toEqual({ session: 's1', turn: 2, traceId: traceIdOf(tp) });
    expect(readPropagated({ baggage: 'other=1, rehearsal.session=s%202;prop=x,rehearsal.turn=3' })).toEqual({ session: 's 2', turn: 3 });
    expect(traceIdOf('00-00000000000000000000000000000000-0000000000000001-01')).toBeUndefined();
    expect(traceIdOf('garbage')).toBeUndefined();
  });
});

describe('admission', () => {
  it('samples consistently per session id, near the rate', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `session-${i}`);
    const kept = ids.filter((id) => sampledIn(id, 0.25));
    expect(kept.length / ids.length).toBeGreaterThan(0.2);
    expect(kept.length / ids.length).toBeLessThan(0.3);
    expect(ids.filter((id) => sampledIn(id, 0.25))).toEqual(kept);
  });

  it('caps a segment and keeps the long tail', () => {
    const policy = new AdmissionPolicy(1, [parseSegmentCap('channel=web:2')]);
    const decisions = ['web', 'web', 'web', 'voice', 'voice', 'web'].map((channel, i) => policy.decide(`s${i}`, { channel }));
    expect(decisions).toEqual(['admit', 'admit', 'segmentCap', 'admit', 'admit', 'segmentCap']);
    expect(() => parseSegmentCap('web:2')).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => new AdmissionPolicy(0, [])).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});

describe('rotation', () => {
  it('parses sizes and durations and names rotated files', () => {
    expect(parseRotate('100MB')).toEqual({ bytes: 100e6 });
    expect(parseRotate('1h')).toEqual({ ms: 3_600_000 });
    expect(() => parseRotate('soon')).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(rotatedPath('recordings/prod.tar.gz', 1)).toBe('recordings/prod-0001.tar.gz');
    expect(rotatedPath('out/x.tgz', 12)).toBe('out/x-0012.tgz');
    expect(rotatedPath('plain.tar', 3)).toBe('plain-0003.tar');
  });
});
