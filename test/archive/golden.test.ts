import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../src/archive/index.ts';
import { verifyArchive } from '../../src/archive/verify.ts';

const golden = (name: string) => fileURLToPath(new URL(`../fixtures/golden/${name}`, import.meta.url));

describe('golden archives of released format versions still load', () => {
  for (const name of ['recording-v1.tar', 'recording-v1.tar.gz']) {
    it(name, async () => {
      const reader = await openArchive(golden(name));
      expect(reader.manifest).toMatchObject({
        formatVersion: 1,
        createdAt: '2026-01-01T00:00:00.000Z',
        anonymization: { policyId: 'builtin/v1', keyId: 'k-5e1f', droppedSessions: 1 },
        counts: { sessions: 3, turns: 7 },
      });
      const sessions = [];
      for await (const s of reader.sessions()) sessions.push(s);
      expect(sessions.map((s) => [s.id, s.turns.length])).toEqual([
        ['sess-e1a7aae8a8bc', 1],
        ['sess-a9af8df2c48d', 3],
        ['sess-5af8e42cf84c', 3],
      ]);
      expect(sessions[1]?.turns[0]?.exchanges.some((x) => x.kind === 'llm' && x.llm?.format === 'openai-chat')).toBe(true);
      expect((await verifyArchive(golden(name))).problems).toEqual([]);
    });
  }
});
