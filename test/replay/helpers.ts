import type { Session } from '../../src/model/index.ts';
import { Scenario, type ScenarioInput } from '../../src/scenario/schema.ts';

/** A minimal valid recorded session: `turns` user inputs with the given offsets and reply latencies. */
export function session(id: string, startedAt: string, turns: Array<{ text: string; offsetMs: number; latencyMs: number }>, extra: Partial<Session> = {}): Session {
  return {
    id,
    startedAt,
    segment: { language: 'en' },
    identities: [],
    turns: turns.map((t, index) => ({
      index,
      offsetMs: t.offsetMs,
      input: { text: t.text },
      output: { status: 200, text: `reply ${index}`, latencyMs: t.latencyMs },
      exchanges: [],
    })),
    ...extra,
  };
}

/** A parsed scenario with a function target, overriding any field. */
export function scenario(overrides: Partial<ScenarioInput> = {}): Scenario {
  return Scenario.parse({ name: 't', recordings: ['r.tar'], target: { type: 'function', module: '/dev/null' }, ...overrides });
}
