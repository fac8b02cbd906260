import { describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import type { CallEvent } from '../../src/model/index.ts';
import { fixtureSession, instance, liveBody, startHarness } from './fixture.ts';

const FAULTS = [
  { kind: 'latency', distribution: 'uniform', min: 0, max: 5, probability: 0.5 },
  { kind: 'http-error', status: 503, sessions: 0.5, probability: 0.4 },
  { kind: 'truncate', dependency: 'tools', probability: 0.3 },
  { kind: 'retrieval', mode: 'fewer', keep: 1, sessions: 0.7 },
  { kind: 'malformed-tool-call', dependency: 'llm', turns: [0], calls: [0], probability: 0.5 },
];
const INSTANCES = 32;

/** What one instance saw: per call, the faults decided and the body answered. */
type Trace = Array<{ turn: number; callIndex: number; dependency: string; faults: unknown; status: number; body: string }>;

/** Plays every instance's turns (all recorded calls, in recorded order) with at most `concurrency` instances at once. */
async function play(concurrency: number): Promise<Map<string, Trace>> {
  const h = await startHarness({ faults: FAULTS, seed: 'det-seed' });
  const agent = new Agent({ connections: 64 });
  const traces = new Map<string, Trace>();
  // Recorded stream offsets zeroed: this test is about schedules, not pacing, and stays fast.
  const session = fixtureSession();
  for (const turn of session.turns) for (const ex of turn.exchanges) for (const chunk of ex.response?.chunks ?? []) chunk.offsetMs = 0;
  const ids = Array.from({ length: INSTANCES }, (_, i) => `inst-${i}`);
  try {
    const queue = [...ids];
    const worker = async (): Promise<void> => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const ctx = instance(id, { seedKey: `s${id}~c0`, recorded: session });
        h.deps.register(ctx);
        const trace: Trace = [];
        for (const turn of session.turns) {
          h.deps.setTurn(id, turn.index);
          for (const [i, exchange] of turn.exchanges.entries()) {
            const res = await request(`${h.deps.baseUrl(exchange.dependency)}${exchange.path}`, {
              dispatcher: agent,
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-rehearsal-session': id, 'x-rehearsal-turn': String(turn.index) },
              body: JSON.stringify(liveBody(ctx, turn.index, i)),
            });
            // The instance's own identities appear in its answers: normalise them so instances compare.
            let body = await res.body.text();
            for (const c of ctx.rekeyer.canaries) body = body.split(c.value).join(`<${c.recorded}>`);
            trace.push({ turn: turn.index, callIndex: i, dependency: exchange.dependency, faults: undefined, status: res.statusCode, body });
          }
        }
        h.deps.setTurn(id, null);
        traces.set(id, trace);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    for (let i = 0; i < 500 && h.calls.length < traces.size * 6; i++) await new Promise((r) => setTimeout(r, 2));
    const byInstance = new Map<string, CallEvent[]>();
    for (const call of h.calls) byInstance.set(call.instance ?? '', [...(byInstance.get(call.instance ?? '') ?? []), call]);
    for (const [id, trace] of traces) {
      const calls = (byInstance.get(id) ?? []).sort((a, b) => (a.turn ?? 0) - (b.turn ?? 0) || a.t - b.t);
      trace.forEach((entry, k) => (entry.faults = calls[k]?.faults));
    }
    return traces;
  } finally {
    await agent.close();
    await h.deps.close();
  }
}

describe('determinism across concurrency', () => {
  it('the same seed gives the same per-instance fault schedule and answers at concurrency 1 and 32', async () => {
    const serial = await play(1);
    const parallel = await play(32);
    expect(parallel).toEqual(serial);
    const faulted = [...serial.values()].flat().filter((e) => Array.isArray(e.faults) && e.faults.length > 0).length;
    const total = [...serial.values()].flat().length;
    expect(faulted).toBeGreaterThan(0);
    expect(faulted).toBeLessThan(total);
  });
});
