/** What `inspect` shows: aggregate figures of a recording, and one session in detail. */
import type { ExchangeKind, Manifest, Session } from '../model/index.ts';
import { clip } from '../util/text.ts';

export interface RecordingSummary {
  archive: string;
  formatVersion: number;
  createdAt: string;
  generator: string;
  anonymization: Manifest['anonymization'];
  sessions: number;
  turns: number;
  exchanges: number;
  exchangesByKind: Record<ExchangeKind, number>;
  /** Exchanges that recorded an error. */
  exchangeErrors: number;
  /** `llm` exchanges whose answer was streamed. */
  streamedLlm: number;
  /** Per segment key, sessions per value. */
  segments: Record<string, Record<string, number>>;
  /** Sessions per turn count, ascending. */
  turnHistogram: Array<{ turns: number; sessions: number }>;
}

/** Streams every session once; memory holds counters only. */
export async function summarize(archive: string, manifest: Manifest, sessions: AsyncIterable<Session>): Promise<RecordingSummary> {
  const byKind: Record<ExchangeKind, number> = { llm: 0, tool: 0, retrieval: 0, http: 0 };
  const segments: Record<string, Record<string, number>> = {};
  const histogram = new Map<number, number>();
  let count = 0;
  let turns = 0;
  let exchanges = 0;
  let errors = 0;
  let streamed = 0;
  for await (const session of sessions) {
    count++;
    turns += session.turns.length;
    histogram.set(session.turns.length, (histogram.get(session.turns.length) ?? 0) + 1);
    for (const [key, value] of Object.entries(session.segment)) {
      const values = (segments[key] ??= {});
      values[value] = (values[value] ?? 0) + 1;
    }
    for (const turn of session.turns) {
      for (const exchange of turn.exchanges) {
        exchanges++;
        byKind[exchange.kind]++;
        if (exchange.error) errors++;
        if (exchange.kind === 'llm' && exchange.llm?.stream) streamed++;
      }
    }
  }
  return {
    archive,
    formatVersion: manifest.formatVersion,
    createdAt: manifest.createdAt,
    generator: manifest.generator,
    anonymization: manifest.anonymization,
    sessions: count,
    turns,
    exchanges,
    exchangesByKind: byKind,
    exchangeErrors: errors,
    streamedLlm: streamed,
    segments,
    turnHistogram: [...histogram.entries()].sort((a, b) => a[0] - b[0]).map(([t, sessions]) => ({ turns: t, sessions })),
  };
}

export interface TurnDetail {
  index: number;
  offsetMs: number;
  input: string;
  output: string;
  status: number;
  latencyMs: number;
  ttftMs?: number;
  error?: string;
  exchanges: Array<{ kind: ExchangeKind; name: string; dependency: string; status: number | null; durationMs: number; error?: string; streamed: boolean }>;
}

export interface SessionDetail {
  id: string;
  startedAt: string;
  segment: Record<string, string>;
  identities: Array<{ type: string; surrogate: string }>;
  turns: TurnDetail[];
}


export function describeSession(session: Session, excerptLength = 100): SessionDetail {
  return {
    id: session.id,
    startedAt: session.startedAt,
    segment: session.segment,
    identities: session.identities,
    turns: session.turns.map((turn) => ({
      index: turn.index,
      offsetMs: turn.offsetMs,
      input: clip(turn.input.text, excerptLength),
      output: clip(turn.output.text, excerptLength),
      status: turn.output.status,
      latencyMs: turn.output.latencyMs,
      ...(turn.output.ttftMs === undefined ? {} : { ttftMs: turn.output.ttftMs }),
      ...(turn.output.error === undefined ? {} : { error: turn.output.error }),
      exchanges: turn.exchanges.map((x) => ({
        kind: x.kind,
        name: x.name,
        dependency: x.dependency,
        status: x.response?.status ?? null,
        durationMs: x.durationMs,
        ...(x.error ? { error: `${x.error.code}: ${x.error.message}` } : {}),
        streamed: x.response?.chunks !== undefined,
      })),
    })),
  };
}
