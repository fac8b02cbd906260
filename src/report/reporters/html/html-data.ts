import type { CallEvent, TurnEvent } from '../../../model/index.ts';
import { distribution } from '../../histogram.ts';
import type { ReportContext } from '../../reporter.ts';
import type { LatencyStats } from '../../report-schema.ts';
import { chooseTimelines, MAX_TIMELINE_TURNS } from './timeline-budget.ts';
import { describeWarmUp } from '../../warm-up.ts';

/** Recorded text longer than this is cut in the HTML (the journal keeps it whole). */
const MAX_TEXT = 4000;

type Figures = Omit<LatencyStats, 'hist'>;

/** A call as the session timeline draws it: when it started relative to the turn's send time. */
export interface TimelineCall {
  dependency: string;
  kind: string;
  name: string;
  callIndex: number;
  startMs: number;
  durationMs: number;
  status: number | null;
  error: string | null;
  match: string;
  faults: string[];
  /** Offsets (ms from the call's start) of streamed response chunks. */
  chunkOffsetsMs: number[];
}

export interface TimelineTurn {
  turn: number;
  intendedAt: number;
  latencyMs: number;
  /** Sending late (the scheduler fell behind) shows as the gap between plan and send. */
  sendDelayMs: number;
  ttftMs: number | null;
  gapsMs: number[];
  status: number;
  error: string | null;
  input: string;
  reply: string;
  calls: TimelineCall[];
}

/** What the client script renders: plain JSON, no histograms, recorded text cut to size. */
export interface HtmlData {
  run: ReportContext['report']['run'];
  passed: boolean;
  gates: ReportContext['gates'];
  totals: {
    sessions: ReportContext['summary']['sessions'];
    turns: ReportContext['summary']['turns'];
    findings: ReportContext['summary']['findings'];
    warmupMs: number;
    /** The warm-up line (`warm-up: 8 of 8 connections open before t = 0 …`), or null without one. */
    warmUp: string | null;
    unattributedCalls: number;
  };
  latency: { turnMs: Figures; ttftMs: Figures };
  distribution: { turnMs: ReturnType<typeof distribution>; ttftMs: ReturnType<typeof distribution> };
  overTime: { bucketMs: number; points: Array<{ startMs: number } & Figures> };
  segments: Array<Omit<ReportContext['summary']['segments'][number], 'turnMs'> & { turnMs: Figures }>;
  dependencies: Array<Omit<ReportContext['summary']['dependencies'][number], 'durationMs'> & { durationMs: Figures }>;
  findings: ReportContext['report']['findings'];
  /** `timeline` is null for sessions past the page's timeline budget (see `chooseTimelines`). */
  sessions: Array<ReportContext['report']['sessions'][number] & { timeline: TimelineTurn[] | null }>;
  /** How many sessions' timelines were left out of the page. */
  timelinesOmitted: number;
  comparison: ReportContext['comparison'] | null;
}

/** Prepares the HTML report's data from the report context. Pure. */
export function prepareHtmlData(ctx: ReportContext, timelineBudget = MAX_TIMELINE_TURNS): HtmlData {
  const { summary: s, report } = ctx;
  const embedded = chooseTimelines(report.sessions, report.findings, timelineBudget);
  return {
    run: report.run,
    passed: report.passed,
    gates: ctx.gates,
    totals: { sessions: s.sessions, turns: s.turns, findings: s.findings, warmupMs: s.warmupMs, warmUp: s.warmUp ? describeWarmUp(s.warmUp) : null, unattributedCalls: s.unattributedCalls },
    latency: { turnMs: figures(s.latency.turnMs), ttftMs: figures(s.latency.ttftMs) },
    distribution: { turnMs: distribution(s.latency.turnMs), ttftMs: distribution(s.latency.ttftMs) },
    overTime: { bucketMs: s.overTime.bucketMs, points: s.overTime.buckets.map((b) => ({ startMs: b.startMs, ...figures(b.turnMs) })) },
    segments: s.segments.map((seg) => ({ ...seg, turnMs: figures(seg.turnMs) })),
    dependencies: s.dependencies.map((d) => ({ ...d, durationMs: figures(d.durationMs) })),
    findings: report.findings.map((f) => ({ ...f, title: cut(f.title), evidence: { ...f.evidence, summary: cut(f.evidence.summary) } })),
    sessions: report.sessions.map((row) => {
      const data = ctx.run.instances.get(row.instance);
      if (!embedded.has(row.instance)) return { ...row, timeline: null };
      return { ...row, timeline: data ? data.turns.map((t) => timelineTurn(t, data.calls)) : [] };
    }),
    timelinesOmitted: report.sessions.length - embedded.size,
    comparison: ctx.comparison ?? null,
  };
}

function figures(stats: LatencyStats): Figures {
  const { hist: _hist, ...rest } = stats;
  return rest;
}

function timelineTurn(turn: TurnEvent, calls: readonly CallEvent[]): TimelineTurn {
  return {
    turn: turn.turn,
    intendedAt: turn.intendedAt,
    latencyMs: turn.latencyMs,
    sendDelayMs: Math.max(0, turn.sentAt - turn.intendedAt),
    ttftMs: turn.ttftMs ?? null,
    gapsMs: turn.gapsMs ?? [],
    status: turn.status,
    error: turn.error ?? null,
    input: cut(turn.input),
    reply: cut(turn.reply.text),
    calls: calls.filter((c) => c.turn === turn.turn).map((c) => timelineCall(c, turn.intendedAt)),
  };
}

// A call event's `t` is when it ended; it started `durationMs` earlier.
function timelineCall(call: CallEvent, turnStart: number): TimelineCall {
  return {
    dependency: call.dependency,
    kind: call.kind,
    name: call.name,
    callIndex: call.callIndex,
    startMs: Math.max(0, call.t - call.durationMs - turnStart),
    durationMs: call.durationMs,
    status: call.response?.status ?? null,
    error: call.error ? `${call.error.code}: ${cut(call.error.message)}` : null,
    match: call.match.mode,
    faults: call.faults.map((f) => f.kind),
    chunkOffsetsMs: call.response?.chunks?.map((c) => c.offsetMs) ?? [],
  };
}

function cut(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… (${text.length - MAX_TEXT} more characters in the journal)` : text;
}
