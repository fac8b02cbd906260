import { describe, expect, it } from 'vitest';
import type { ArchiveWriter } from '../../src/archive/index.ts';
import type { Manifest, Session } from '../../src/model/index.ts';
import { emptyStats } from '../../src/record/recorder-stats.ts';
import { withoutSessionKey } from '../../src/anonymize/index.ts';
import type { PendingSession } from '../../src/record/closed-session.ts';
import { DRAIN_SLICE_MS, RecordingSink } from '../../src/record/recording-sink.ts';
import { testAnonymizer, testPseudonym } from './test-anonymizer.ts';

function session(id: string, text = 'hello'): Session {
  return {
    id,
    startedAt: '2026-01-01T00:00:00.000Z',
    segment: {},
    identities: [],
    turns: [{ index: 0, offsetMs: 0, input: { text, request: { method: 'POST', url: `/c/${id}`, headers: {}, body: { session_id: id } } }, output: { status: 200, text: 'ok', latencyMs: 1 }, exchanges: [] }],
  };
}

/** A closed session as the book hands it over: built when the sink gets to it. */
function pending(id: string, text = 'hello'): PendingSession {
  return { build: () => session(id, text) };
}

/** An in-memory archive writer whose `add` waits until released: a disk that stalls. */
function stallingWriters() {
  const files: Array<{ path: string; sessions: Session[]; closed: boolean }> = [];
  let release: () => void = () => {};
  let gate = new Promise<void>((r) => (release = r));
  return {
    files,
    release: () => {
      release();
      gate = Promise.resolve();
    },
    open: async (path: string): Promise<ArchiveWriter> => {
      const file = { path, sessions: [] as Session[], closed: false };
      files.push(file);
      return {
        add: async (s) => {
          await gate;
          file.sessions.push(s);
        },
        close: async () => {
          file.closed = true;
          return {} as Manifest;
        },
        abort: async () => {},
      };
    },
  };
}

describe('recording sink', () => {
  it('drops (and counts) sessions when the queue is full, never blocking offer', async () => {
    const writers = stallingWriters();
    const stats = emptyStats();
    const sink = new RecordingSink({ out: 'x.tar', openWriter: writers.open, anonymizer: testAnonymizer(), pseudonymizeId: testPseudonym, stats, maxQueue: 3, now: () => 0, onError: () => {} });
    for (let i = 0; i < 10; i++) sink.offer(pending(`prod-${i}`));
    expect(stats.dropped.queueFull).toBe(7);
    writers.release();
    await sink.close();
    expect(stats.recordedSessions).toBe(3);
    expect(writers.files[0]?.closed).toBe(true);
  });

  it('fails closed: a session the anonymizer cannot handle is dropped, never written', async () => {
    const writers = stallingWriters();
    writers.release();
    const stats = emptyStats();
    const errors: string[] = [];
    const anonymizer = { ...testAnonymizer(), anonymizeSession: (s: Session) => { if (s.id === 'bad-1') throw new Error('detector crashed'); return testAnonymizer().anonymizeSession(s); } };
    const sink = new RecordingSink({ out: 'x.tar', openWriter: writers.open, anonymizer, pseudonymizeId: testPseudonym, stats, maxQueue: 10, now: () => 0, onError: (m) => errors.push(m) });
    sink.offer(pending('good-1'));
    sink.offer(pending('bad-1'));
    await sink.close();
    expect(stats.dropped.anonymizeFailed).toBe(1);
    expect(writers.files[0]?.sessions.map((s) => s.id)).toEqual([testPseudonym('good-1')]);
    expect(JSON.stringify(writers.files[0]?.sessions)).not.toContain('good-1');
    expect(errors[0]).toContain('detector crashed');
  });

  it('drops a session that fails to build as a recorder error, and goes on with the next', async () => {
    const writers = stallingWriters();
    writers.release();
    const stats = emptyStats();
    const errors: string[] = [];
    const sink = new RecordingSink({ out: 'x.tar', openWriter: writers.open, anonymizer: testAnonymizer(), pseudonymizeId: testPseudonym, stats, maxQueue: 10, now: () => 0, onError: (m) => errors.push(m) });
    sink.offer({ build: () => { throw new Error('turn without output'); } });
    sink.offer(pending('good-2'));
    await sink.close();
    expect(stats.recorderErrors).toBe(1);
    expect(stats.recordedSessions).toBe(1);
    expect(errors[0]).toMatch(/session dropped: building it failed \(turn without output\)/);
  });

  it('drains in time slices: builds sessions until the slice is spent, then lets the event loop run', async () => {
    const writers = stallingWriters();
    writers.release();
    // Each build takes 0.6 slices of the injected clock, so a slice ends after every second session.
    let now = 0;
    const built: Array<{ id: string; loopTurn: number }> = [];
    let loopTurn = 0;
    let counting = true;
    const count = () => {
      loopTurn++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const sink = new RecordingSink({ out: 'x.tar', openWriter: writers.open, anonymizer: testAnonymizer(), pseudonymizeId: testPseudonym, stats: emptyStats(), maxQueue: 10, now: () => now, onError: () => {} });
    for (let i = 0; i < 6; i++) {
      sink.offer({
        build: () => {
          built.push({ id: `slice-${i}`, loopTurn });
          now += DRAIN_SLICE_MS * 0.6;
          return session(`slice-${i}`);
        },
      });
    }
    await sink.close();
    counting = false;
    const turns = built.map((b) => b.loopTurn);
    expect(turns[0]).toBe(turns[1]);
    expect(turns[2]).toBe(turns[3]);
    expect(turns[4]).toBe(turns[5]);
    expect(turns[1]).toBeLessThan(turns[2] as number);
    expect(turns[3]).toBeLessThan(turns[4] as number);
  });

  it('rotates by size into numbered files', async () => {
    const writers = stallingWriters();
    writers.release();
    const stats = emptyStats();
    const sink = new RecordingSink({ out: 'rec/prod.tar.gz', openWriter: writers.open, anonymizer: testAnonymizer(), pseudonymizeId: testPseudonym, stats, maxQueue: 10, rotate: { bytes: 1 }, now: () => 0, onError: () => {} });
    for (let i = 0; i < 3; i++) sink.offer(pending(`rot-${i}`));
    await sink.close();
    expect(writers.files.map((f) => [f.path, f.sessions.length, f.closed])).toEqual([
      ['rec/prod-0001.tar.gz', 1, true],
      ['rec/prod-0002.tar.gz', 1, true],
      ['rec/prod-0003.tar.gz', 1, true],
    ]);
  });

  it('refuses a session that kept its production id when no pseudonym is configured', () => {
    expect(() => withoutSessionKey(session('prod-77'), 'prod-77')).toThrow(/production id/);
  });
});
