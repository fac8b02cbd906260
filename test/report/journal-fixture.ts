import type { CallEvent, Finding, FindingClass, JournalEvent, SessionVariant, TurnEvent } from '../../src/model/index.ts';
import { rngFor } from '../../src/util/rng.ts';

/** Options of one constructed session instance. */
export interface InstanceSpec {
  instance: string;
  recordedSession?: string;
  variant?: SessionVariant;
  segment?: Record<string, string>;
  status?: 'completed' | 'failed' | 'aborted' | null;
  /** Turn latencies in ms; one turn each. */
  latencies: number[];
  ttft?: number[];
  /** Per turn: start offset of the turn (intendedAt); default 1000 ms apart from `startAt`. */
  startAt?: number;
  errors?: number[];
  findings?: Array<{ class: FindingClass; turn: number | null; severity?: Finding['severity']; title?: string }>;
  faultedCallTurns?: number[];
}

export interface JournalSpec {
  runId?: string;
  scenario?: string;
  seed?: string;
  shard?: { index: number; count: number };
  warmupMs?: number;
  gates?: string[];
  instances: InstanceSpec[];
  unattributed?: number;
}

/** Builds a journal of real event shapes (what the replayer writes), for report tests. */
export function buildJournal(spec: JournalSpec): JournalEvent[] {
  const runId = spec.runId ?? 'run-1';
  const events: JournalEvent[] = [
    {
      type: 'run-start',
      v: 1,
      runId,
      startedAt: '2026-01-07T02:00:00.000Z',
      seed: spec.seed ?? '42',
      scenario: { name: spec.scenario ?? 'nightly' },
      ...(spec.shard ? { shard: spec.shard } : {}),
      recordings: [{ path: 'recordings/prod.tar.gz', sessions: spec.instances.length }],
      plannedInstances: spec.instances.length,
      config: { name: spec.scenario ?? 'nightly', load: { warmup: spec.warmupMs ?? 0 }, gates: spec.gates ?? [] },
    },
  ];
  let tMax = 0;
  for (const s of spec.instances) {
    const base = s.startAt ?? 0;
    events.push({
      type: 'session-start',
      t: base,
      instance: s.instance,
      recordedSession: s.recordedSession ?? `rec-${s.instance}`,
      clone: 0,
      variant: s.variant ?? 'main',
      segment: s.segment ?? { language: 'en' },
      canaries: [{ type: 'email', value: `${s.instance}@example.test`, recorded: 'u1@example.test' }],
      faulted: (s.faultedCallTurns ?? []).length > 0,
    });
    s.latencies.forEach((latencyMs, turn) => {
      const intendedAt = base + turn * 1000;
      const failed = (s.errors ?? []).includes(turn);
      events.push(callEvent(s, turn, intendedAt, (s.faultedCallTurns ?? []).includes(turn)));
      const ev: TurnEvent = {
        type: 'turn',
        t: intendedAt + latencyMs,
        instance: s.instance,
        turn,
        intendedAt,
        sentAt: intendedAt + 0.4,
        latencyMs,
        ...(s.ttft?.[turn] !== undefined ? { ttftMs: s.ttft[turn], gapsMs: [12, 30, 8] } : {}),
        status: failed ? 502 : 200,
        input: `question ${turn} from ${s.instance} <b>&"quote"</b>`,
        reply: { text: failed ? '' : `answer ${turn} for ${s.instance}` },
        ...(failed ? { error: 'upstream failed' } : {}),
      };
      events.push(ev);
      tMax = Math.max(tMax, ev.t);
    });
    for (const f of s.findings ?? []) {
      events.push({
        type: 'finding',
        finding: {
          id: `f-${f.class}-${s.instance}-${f.turn ?? 'x'}`,
          class: f.class,
          severity: f.severity ?? 'high',
          title: f.title ?? `${f.class} at turn ${f.turn}`,
          runId,
          recordedSession: s.recordedSession ?? `rec-${s.instance}`,
          sessionInstance: s.instance,
          turn: f.turn,
          segment: s.segment ?? { language: 'en' },
          evidence: { summary: `evidence for ${f.class}` },
          repro: `rehearse repro runs/x ${s.instance}`,
        },
      });
    }
    if (s.status !== null) events.push({ type: 'session-end', t: tMax, instance: s.instance, status: s.status ?? 'completed' });
  }
  for (let i = 0; i < (spec.unattributed ?? 0); i++) {
    events.push({ ...callEvent({ instance: 'ghost', latencies: [] }, 0, 0, false), instance: null, turn: null, attribution: 'none' });
  }
  events.push({ type: 'run-end', t: tMax, endedAt: '2026-01-07T02:05:00.000Z', interrupted: false });
  return events;
}

function callEvent(s: InstanceSpec, turn: number, at: number, faulted: boolean): CallEvent {
  return {
    type: 'call',
    t: at + 120,
    instance: s.instance,
    turn,
    dependency: 'llm',
    kind: 'llm',
    name: 'gpt-test',
    callIndex: 0,
    attribution: 'headers',
    request: { method: 'POST', url: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: { messages: [] } },
    response: faulted ? { status: 503, body: { error: 'injected' } } : { status: 200, chunks: [{ offsetMs: 20, data: 'Hel' }, { offsetMs: 45, data: 'lo' }] },
    ...(faulted ? { error: { code: 'http_503', message: 'injected 503' } } : {}),
    durationMs: 100,
    match: { mode: 'replay', exchange: { turn, index: 0 }, reason: 'sequence' },
    faults: faulted ? [{ kind: 'http-error', rule: 0, detail: { status: 503 } }] : [],
  };
}

/** Many sessions with seeded latencies over two languages: enough data for percentiles and charts. */
export function bigJournalSpec(count: number, seed = 'fixture'): JournalSpec {
  const rng = rngFor(seed, 'latencies');
  const instances: InstanceSpec[] = Array.from({ length: count }, (_, i) => {
    const turns = 1 + (i % 5);
    const latencies = Array.from({ length: turns }, () => Math.round((200 + rng.next() * 3000) * 100) / 100);
    return {
      instance: `s${String(i).padStart(4, '0')}~c0`,
      segment: { language: i % 3 === 0 ? 'de' : 'en', channel: i % 2 === 0 ? 'web' : 'app' },
      latencies,
      ttft: latencies.map((l) => Math.round(l * 0.2)),
      startAt: i * 700,
      errors: i % 17 === 5 ? [0] : [],
      status: i % 23 === 7 ? 'failed' : 'completed',
      faultedCallTurns: i % 4 === 1 ? [0] : [],
      findings: i % 9 === 2 ? [{ class: 'context_loss', turn: turns - 1 }] : i % 13 === 3 ? [{ class: 'cascade', turn: 0, severity: 'critical' }] : [],
    };
  });
  return { instances, gates: ['leakage == 0', 'p95(turn_ms) < 4000'] };
}

/** Splits a journal spec into `n` shard specs (by instance position), like `--shard i/n` does by hash. */
export function shardSpecs(spec: JournalSpec, n: number): JournalSpec[] {
  return Array.from({ length: n }, (_, k) => ({
    ...spec,
    runId: `run-shard-${k + 1}`,
    shard: { index: k + 1, count: n },
    instances: spec.instances.filter((_, i) => i % n === k),
  }));
}
