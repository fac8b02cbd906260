import { describe, expect, it } from 'vitest';
import type { ArchiveWriter } from '../../src/archive/index.ts';
import type { Manifest, Session } from '../../src/model/index.ts';
import { emptyStats } from '../../src/record/recorder-stats.ts';
import { withoutSessionKey } from '../../src/anonymize/index.ts';
import { RecordingSink } from '../../src/record/recording-sink.ts';
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
    for (let i = 0; i < 10; i++) sink.offer(session(`prod-${i}`));
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
    sink.offer(session('good-1'));
    sink.offer(session('bad-1'));
    await sink.close();
    expect(stats.dropped.anonymizeFailed).toBe(1);
    expect(writers.files[0]?.sessions.map((s) => s.id)).toEqual([testPseudonym('good-1')]);
    expect(JSON.stringify(writers.files[0]?.sessions)).not.toContain('good-1');
    expect(errors[0]).toContain('detector crashed');
  });

  it('rotates by size into numbered files', async () => {
    const writers = stallingWriters();
    writers.release();
    const stats = emptyStats();
    const sink = new RecordingSink({ out: 'rec/prod.tar.gz', openWriter: writers.open, anonymizer: testAnonymizer(), pseudonymizeId: testPseudonym, stats, maxQueue: 10, rotate: { bytes: 1 }, now: () => 0, onError: () => {} });
    for (let i = 0; i < 3; i++) sink.offer(session(`rot-${i}`));
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
