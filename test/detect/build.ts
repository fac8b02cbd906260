/**
 * Builders for detector tests: real `Session`s and `RunData` (through `groupJournal`, as a
 * journal would be read), with only the fields a test cares about spelled out.
 */
import { groupJournal, type RunData } from '../../src/journal/journal-reader.ts';
import type { AppliedFault, CallEvent, CallMatch, Canary, Exchange, ExchangeKind, Identity, JournalEvent, LlmMessage, Session, SessionVariant } from '../../src/model/index.ts';
import { Scenario, type ScenarioInput } from '../../src/scenario/schema.ts';
import { runDetectors } from '../../src/detect/index.ts';
import type { Finding } from '../../src/model/index.ts';

export const user = (content: string): LlmMessage => ({ role: 'user', content });
export const assistant = (content: string): LlmMessage => ({ role: 'assistant', content });
export const system = (content: string): LlmMessage => ({ role: 'system', content });
export const toolResult = (content: string, toolCallId = 'call_1'): LlmMessage => ({ role: 'tool', content, toolCallId });

export function llmExchange(messages: LlmMessage[], answer = 'ok'): Exchange {
  return {
    kind: 'llm',
    name: 'gpt-4o-mini',
    dependency: 'llm',
    path: '/v1/chat/completions',
    request: { method: 'POST', url: 'http://llm.test/v1/chat/completions', headers: {}, body: { model: 'gpt-4o-mini', messages } },
    response: { status: 200, headers: {}, body: { choices: [{ message: { role: 'assistant', content: answer } }] } },
    startOffsetMs: 0,
    durationMs: 100,
    llm: { format: 'openai-chat', stream: false, messages, output: [assistant(answer)] },
  };
}

export function depExchange(kind: ExchangeKind, name: string, body: unknown, response: unknown = { ok: true }, durationMs = 50): Exchange {
  return {
    kind,
    name,
    dependency: kind === 'retrieval' ? 'retrieval' : 'tools',
    path: `/${name}`,
    request: { method: 'POST', url: `http://${kind}.test/${name}`, headers: {}, body },
    response: { status: 200, headers: {}, body: response },
    startOffsetMs: 0,
    durationMs,
  };
}

export interface TurnSpec {
  input: string;
  reply?: string;
  structured?: unknown;
  exchanges?: Exchange[];
  latencyMs?: number;
}

export function session(id: string, turns: TurnSpec[], identities: Identity[] = [], segment: Record<string, string> = { language: 'en' }): Session {
  return {
    id,
    startedAt: '2026-01-05T10:00:00.000Z',
    segment,
    identities,
    turns: turns.map((t, index) => ({
      index,
      offsetMs: index * 1000,
      input: { text: t.input },
      output: { status: 200, text: t.reply ?? 'ok', ...(t.structured === undefined ? {} : { structured: t.structured }), latencyMs: t.latencyMs ?? 500 },
      exchanges: t.exchanges ?? [],
    })),
  };
}

export interface InstanceSpec {
  recorded: Session;
  canaries?: Canary[];
  variant?: SessionVariant;
  shadowOf?: string;
  faulted?: boolean;
}

export interface CallSpec {
  kind?: ExchangeKind;
  name?: string;
  dependency?: string;
  /** Start time (run-relative ms), as the virtual dependencies journal it. */
  t?: number;
  durationMs?: number;
  body?: unknown;
  messages?: LlmMessage[];
  status?: number | null;
  responseBody?: unknown;
  error?: { code: string; message: string };
  faults?: AppliedFault[];
  match?: CallMatch;
  method?: string;
}

export interface TurnEventSpec {
  input?: string;
  reply: string;
  structured?: unknown;
  latencyMs?: number;
  status?: number;
  error?: string;
}

/** Collects journal events the way the replayer would write them. */
export class RunBuilder {
  readonly events: JournalEvent[] = [];
  #callIndex = new Map<string, number>();
  #clock = 0;

  constructor(runId = 'run-1') {
    this.events.push({ type: 'run-start', v: 1, runId, startedAt: '2026-01-05T10:00:00.000Z', seed: '7', scenario: { name: 'unit' }, recordings: [{ path: 'rec.tar.gz', sessions: 1 }], plannedInstances: 1, config: {} });
  }

  instance(id: string, spec: InstanceSpec): this {
    this.events.push({
      type: 'session-start',
      t: this.#clock++,
      instance: id,
      recordedSession: spec.recorded.id,
      clone: 0,
      variant: spec.variant ?? 'main',
      ...(spec.shadowOf ? { shadowOf: spec.shadowOf } : {}),
      segment: spec.recorded.segment,
      canaries: spec.canaries ?? [],
      faulted: spec.faulted ?? false,
    });
    return this;
  }

  turn(instance: string, turn: number, spec: TurnEventSpec): this {
    this.events.push({
      type: 'turn',
      t: this.#clock++,
      instance,
      turn,
      intendedAt: 0,
      sentAt: 0,
      latencyMs: spec.latencyMs ?? 400,
      status: spec.status ?? 200,
      input: spec.input ?? `turn ${turn}`,
      reply: { text: spec.reply, ...(spec.structured === undefined ? {} : { structured: spec.structured }) },
      ...(spec.error ? { error: spec.error } : {}),
    });
    return this;
  }

  call(instance: string, turn: number, spec: CallSpec): this {
    const kind = spec.kind ?? 'llm';
    const dependency = spec.dependency ?? (kind === 'llm' ? 'llm' : kind === 'retrieval' ? 'retrieval' : 'tools');
    const name = spec.name ?? (kind === 'llm' ? 'gpt-4o-mini' : 'lookup_order');
    const key = `${instance}/${turn}/${dependency}`;
    const callIndex = this.#callIndex.get(key) ?? 0;
    this.#callIndex.set(key, callIndex + 1);
    const body = spec.body ?? (spec.messages ? { model: name, messages: spec.messages } : {});
    this.#clock = spec.t ?? this.#clock + 100;
    const status = spec.status === undefined ? 200 : spec.status;
    this.events.push({
      type: 'call',
      t: this.#clock,
      instance,
      turn,
      dependency,
      kind,
      name,
      callIndex,
      attribution: 'headers',
      request: { method: spec.method ?? 'POST', url: `http://deps.test/${dependency}/${name}`, headers: {}, body },
      response: status === null ? null : { status, body: spec.responseBody ?? {} },
      ...(spec.error ? { error: spec.error } : {}),
      durationMs: spec.durationMs ?? 50,
      ...(spec.messages ? { llm: { format: 'openai-chat' as const, stream: false, messages: spec.messages, output: [] } } : {}),
      match: spec.match ?? { mode: 'replay', exchange: { turn, index: callIndex }, reason: 'sequence' },
      faults: spec.faults ?? [],
    } satisfies CallEvent);
    return this;
  }

  build(): RunData {
    return groupJournal(this.events, 'test');
  }
}

export function scenario(overrides: Partial<ScenarioInput> = {}): Scenario {
  return Scenario.parse({ name: 'unit', recordings: ['rec.tar.gz'], target: { type: 'function', module: './app.ts' }, ...overrides });
}

/** Runs every detector and keeps the findings of one class. */
export function detect(run: RunData, sessions: Session[], cls?: Finding['class'], overrides: Partial<ScenarioInput> = {}): Finding[] {
  const findings = runDetectors({
    run,
    recorded: new Map(sessions.map((s) => [s.id, s])),
    scenario: scenario(overrides),
    reproCommand: (instance) => `rehearse repro rec.tar.gz --instance ${instance} --seed 7`,
  });
  return cls === undefined ? findings : findings.filter((f) => f.class === cls);
}

export const httpError = (status = 503): AppliedFault => ({ kind: 'http-error', rule: 0, detail: { status } });
export const latency = (ms: number): AppliedFault => ({ kind: 'latency', rule: 0, detail: { ms } });
