import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/replay/progress.ts';
import type { TurnEvent } from '../../src/model/index.ts';
import { systemClock } from '../../src/util/clock.ts';

const turn = (latencyMs: number, status = 200, intendedAt = 1000): TurnEvent => ({ type: 'turn', t: 0, instance: 'i', turn: 0, intendedAt, sentAt: intendedAt, latencyMs, status, input: 'x', reply: { text: 'y' } });

describe('progress', () => {
  it('prints plain periodic lines off a TTY: sessions done, turns/s, errors, p95 without warm-up turns', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c));
    const progress = createProgress(out, 3, systemClock, 500, 10);
    progress.turn(turn(9000, 200, 100)); // warm-up: counted, not in p95
    progress.turn(turn(120));
    progress.turn(turn(80, 503));
    progress.sessionEnded();
    for (let i = 0; i < 200 && !text.includes('\n'); i++) await new Promise((r) => setTimeout(r, 10));
    progress.stop();
    expect(text.split('\n')[0]).toMatch(/^progress: 1\/3 sessions, [\d.]+ turns\/s, 1 errors, p95 120 ms$/);
  });
});
