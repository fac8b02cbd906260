import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openArchive } from '../../src/archive/index.ts';
import type { Session } from '../../src/model/index.ts';
import { createRecorder } from '../../src/record/index.ts';
import { listenOnLoopback } from '../../src/util/loopback.ts';
import { testAnonymizer, testPseudonym } from './test-anonymizer.ts';

it('the archive manifest counts the sessions dropped because their anonymization failed', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rehearsal-dropped-'));
  const out = join(dir, 'prod.tar.gz');
  const real = testAnonymizer();
  // An anonymizer that cannot handle one session's content: that session must fail closed.
  const anonymizer = { ...real, anonymizeSession: (s: Session) => (JSON.stringify(s).includes('UNPARSEABLE') ? (() => { throw new Error('detector crashed'); })() : real.anonymizeSession(s)) };
  const recorder = createRecorder({ out, anonymizer, pseudonymizeId: testPseudonym, sessionFrom: 'json:session_id', inputFrom: 'json:/message' });
  const server = createServer(recorder.wrapHandler((req, res) => {
    req.resume();
    req.on('end', () => res.end('{"reply":"ok"}'));
  }));
  const url = await listenOnLoopback(server);
  try {
    for (const [id, message] of [['a', 'hello'], ['b', 'UNPARSEABLE'], ['c', 'hi'], ['d', 'UNPARSEABLE too']]) {
      const res = await fetch(`${url}/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session_id: id, message }) });
      await res.text();
    }
    const stats = await recorder.close();
    expect(stats.dropped.anonymizeFailed).toBe(2);
    const archive = await openArchive(out);
    expect(archive.manifest.anonymization.droppedSessions).toBe(2);
    expect(archive.manifest.counts.sessions).toBe(2);
  } finally {
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
