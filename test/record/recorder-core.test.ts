import { describe, expect, it } from 'vitest';
import type { ArchiveWriter } from '../../src/archive/index.ts';
import type { Manifest } from '../../src/model/index.ts';
import { RecorderCore, SWEEP_BATCH } from '../../src/record/recorder-core.ts';
import { parseValueSource } from '../../src/record/value-source.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { testAnonymizer, testPseudonym } from './test-anonymizer.ts';

const nextLoopTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('recorder core', () => {
  it('closes thousands of idle sessions in batches, letting the event loop run between them', async () => {
    const clock = new ManualClock();
    let written = 0;
    const openWriter = async (): Promise<ArchiveWriter> => ({
      add: async () => {
        written++;
      },
      close: async () => ({}) as Manifest,
      abort: async () => {},
    });
    // idleMs 40: the real sweeper timer ticks every 10 ms; the injected clock decides what is idle.
    const core = new RecorderCore({ out: 'mem.tar', anonymizer: testAnonymizer(), pseudonymizeId: testPseudonym, sessionFrom: parseValueSource('header:x-session-id', '--session-from'), idleMs: 40, maxQueue: 10_000, clock, openWriter });
    const total = 10 * SWEEP_BATCH + 17;
    for (let i = 0; i < total; i++) {
      const request = { method: 'POST', url: '/chat', headers: { 'x-session-id': `s-${i}` }, body: 'hi' };
      const turn = core.beginTurn(request, undefined);
      if (!turn || !core.assignSession(turn, request)) throw new Error('turn not started');
      core.endTurn(turn, { ...request, rawBody: Buffer.from('hi') }, { status: 200, text: 'ok', latencyMs: 1 });
    }
    await clock.advance(100);
    const seen: number[] = [];
    for (let i = 0; i < 1_000_000 && core.stats().openSessions > 0; i++) {
      await nextLoopTurn();
      const open = core.stats().openSessions;
      if (open !== seen.at(-1)) seen.push(open);
    }
    // Every state the loop saw is a whole number of batches closed: one batch per loop turn at most.
    expect(seen.at(-1)).toBe(0);
    expect(seen.filter((open) => open > 0 && open < total).length).toBeGreaterThan(0);
    for (const open of seen) if (open > 0) expect((total - open) % SWEEP_BATCH).toBe(0);
    const stats = await core.close();
    expect(written).toBe(total);
    expect(stats.recordedSessions).toBe(total);
    expect(stats.dropped.queueFull).toBe(0);
  });
});
