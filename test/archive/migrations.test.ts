import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrateManifest, migrateSession, planMigrations, type Migration } from '../../src/archive/migrations.ts';
import { FORMAT_VERSION } from '../../src/model/index.ts';

// A made-up history: format 1 named the segment `tags`, format 2 renamed it, format 3 is current.
const history: Migration[] = [
  {
    from: 1,
    to: 2,
    description: 'tags became segment',
    manifest: (m) => ({ ...m, generator: `${String(m.generator)} (migrated)` }),
    session: (s) => {
      const { tags, ...rest } = s as { tags: unknown };
      return { ...rest, segment: tags };
    },
  },
  { from: 2, to: 3, description: 'no-op', manifest: (m) => m, session: (s) => s },
];

describe('format migrations', () => {
  it('the current format needs no step, and the shipped table starts at a released version', () => {
    expect(planMigrations('a.tar', FORMAT_VERSION)).toEqual([]);
    for (const m of MIGRATIONS) expect(m.to).toBe(m.from + 1);
  });

  it('upgrades an old manifest and each session entry step by step', () => {
    const steps = planMigrations('old.tar', 1, history, 3);
    expect(steps.map((s) => s.from)).toEqual([1, 2]);
    expect(migrateManifest({ formatVersion: 1, generator: 'rec' }, steps)).toEqual({ formatVersion: 3, generator: 'rec (migrated)' });
    expect(migrateSession({ id: 'a', tags: { language: 'en' } }, steps)).toEqual({ id: 'a', segment: { language: 'en' } });
  });

  it('refuses a newer version, a missing step and a nonsense version', () => {
    expect(() => planMigrations('new.tar', 4, history, 3)).toThrow(/new\.tar has format version 4; this rehearsal reads up to 3/);
    expect(() => planMigrations('gap.tar', 1, [history[1] as Migration], 3)).toThrow(/no migration from format version 1/);
    expect(() => planMigrations('odd.tar', '1', history, 3)).toThrow(/no valid formatVersion/);
  });
});
