import { describe, expect, it } from 'vitest';
import type { WarmUpEvent } from '../../src/model/index.ts';
import { describeWarmUp, mergeWarmUps, summarizeWarmUps } from '../../src/report/warm-up.ts';

const event = (over: Partial<WarmUpEvent> = {}): WarmUpEvent => ({
  type: 'warm-up',
  t: -12,
  durationMs: 12,
  path: '/health',
  connections: { wanted: 8, open: 8 },
  requests: { ok: 8, failed: 0 },
  errors: [],
  ...over,
});

describe('warm-up summary', () => {
  it('is absent without a warm-up and reads as one line with one', () => {
    expect(summarizeWarmUps([])).toBeUndefined();
    expect(describeWarmUp(summarizeWarmUps([event()]) as never)).toBe('warm-up: 8 of 8 connections open before t = 0 (GET /health, 12 ms)');
  });

  it('adds up shards (merge-reports) and says what failed or was skipped', () => {
    const a = summarizeWarmUps([event({ connections: { wanted: 4, open: 3 }, requests: { ok: 3, failed: 1 }, errors: ['GET /health: 503'] })]);
    const b = summarizeWarmUps([event({ durationMs: 30, connections: { wanted: 4, open: 4 }, requests: { ok: 4, failed: 0 } })]);
    const merged = mergeWarmUps([a, undefined, b]);
    expect(merged).toMatchObject({ warmUps: 2, connections: { wanted: 8, open: 7 }, requests: { ok: 7, failed: 1 }, paths: ['/health'], durationMs: 30 });
    expect(describeWarmUp(merged as never)).toBe('warm-up: 7 of 8 connections open before t = 0 over 2 warm-ups (GET /health, 30 ms); 1 of 8 requests failed: GET /health: 503');
    const skipped = summarizeWarmUps([event({ path: undefined, connections: { wanted: 2, open: 0 }, requests: { ok: 0, failed: 0 }, skipped: 'a function target keeps no connection pool to pre-open' })]);
    expect(describeWarmUp(skipped as never)).toBe('warm-up: no connections pre-opened; a function target keeps no connection pool to pre-open');
  });
});
