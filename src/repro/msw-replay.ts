import { HttpResponse, http, passthrough, type HttpHandler } from 'msw';
import { composeFaults } from '../deps/faults/compose.ts';
import { decideFaults } from '../deps/faults/decide.ts';
import type { Handler, Outcome } from '../deps/faults/fault-kind.ts';
import { recordedAnswer } from '../deps/replay-answer.ts';
import type { AppliedFault, Exchange, Session } from '../model/index.ts';
import type { FaultRule } from '../scenario/schema.ts';
import { systemClock } from '../util/clock.ts';

/** Options of the in-process dependency replay an emitted repro test runs on. */
export interface MswReplayOptions {
  /** The session to answer from, as it should be served (re-keyed to the instance when reproducing one). */
  session: Session;
  seed: string;
  /** The instance's stable seed key (`InstanceContext.seedKey`): the fault schedule depends on it. */
  seedKey: string;
  faults: FaultRule[];
}

/** One dependency call the replay answered. */
export interface MswReplayedCall {
  turn: number;
  dependency: string;
  method: string;
  path: string;
  callIndex: number;
  /** Index in the turn's recorded exchanges that answered, or null when none matched. */
  exchange: number | null;
  faults: AppliedFault[];
  /** HTTP status sent, or null when the connection was dropped (reset, hang). */
  status: number | null;
  body: unknown;
}

export interface MswReplay {
  /** msw handlers: one per dependency host, plus loopback passthrough (the app itself). */
  readonly handlers: HttpHandler[];
  /** Base URL the app must use for dependency `name`: `http://<name>.deps.rehearsal.test`. */
  baseUrl(name: string): string;
  /** The turn being played: calls are answered from this turn's recorded exchanges. */
  setTurn(turn: number): void;
  readonly calls: MswReplayedCall[];
}

const HOST_SUFFIX = '.deps.rehearsal.test';

/**
 * The virtual dependencies as msw handlers, for repro tests that run the app in-process. Each
 * dependency of the recording gets its own host; a call is answered by the recorded exchange of
 * the current turn with the same dependency and path, the n-th call by the n-th such exchange
 * (extra calls — retries — by the last one). Faults are decided by the same pure function the
 * virtual dependency server uses (`decideFaults`, keyed by seed, seed key, turn, dependency
 * and call index) and applied by the same fault kinds, so the schedule is the run's.
 */
export function mswReplay(options: MswReplayOptions): MswReplay {
  const calls: MswReplayedCall[] = [];
  let turn = 0;
  const dependencies = [...new Set(options.session.turns.flatMap((t) => t.exchanges.map((e) => e.dependency)))];
  const handlers = dependencies.map((dependency) =>
    http.all(new RegExp(`^http://${escape(dependency)}${escape(HOST_SUFFIX)}(?::\\d+)?/`), async ({ request }) => {
      const url = new URL(request.url);
      const path = `${url.pathname}${url.search}`;
      const method = request.method.toUpperCase();
      const body = await readBody(request);
      const inTurn = calls.filter((c) => c.turn === turn && c.dependency === dependency);
      const callIndex = inTurn.length;
      const exchanges = options.session.turns[turn]?.exchanges ?? [];
      const sameRoute = exchanges.map((e, index) => ({ e, index })).filter(({ e }) => e.dependency === dependency && e.path === path && e.request.method.toUpperCase() === method);
      const repeat = inTurn.filter((c) => c.path === path && c.method === method).length;
      const match = sameRoute[Math.min(repeat, sameRoute.length - 1)];
      const record: MswReplayedCall = { turn, dependency, method, path, callIndex, exchange: match?.index ?? null, faults: [], status: null, body };
      calls.push(record);
      if (!match) {
        record.status = 501;
        return HttpResponse.json({ error: { type: 'rehearsal_unmatched', message: `no recorded ${method} ${path} on ${dependency} at turn ${turn}` } }, { status: 501 });
      }
      record.faults = decideFaults(options.faults, { seed: options.seed, seedKey: options.seedKey, dependency, name: match.e.name, turn, callIndex });
      const handler = composeFaults(record.faults, async () => recordedAnswer(match.e));
      const outcome = await runHandler(handler, match.e, request.signal);
      if (outcome.type === 'drop') return HttpResponse.error();
      record.status = outcome.reply.status;
      return toResponse(outcome);
    }),
  );
  handlers.push(http.all(/^http:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?\//, () => passthrough()));
  return {
    handlers,
    baseUrl: (name) => `http://${name}${HOST_SUFFIX}`,
    setTurn: (t) => {
      turn = t;
    },
    calls,
  };
}

function runHandler(handler: Handler, exchange: Exchange, signal: AbortSignal): Promise<Outcome> {
  return handler({ clock: systemClock, signal, recordedDurationMs: exchange.durationMs });
}

/** An msw response for a reply outcome; streamed bodies keep their recorded chunk timing. */
function toResponse(outcome: Extract<Outcome, { type: 'reply' }>): Response {
  const { status, headers, body } = outcome.reply;
  if (body.type === 'whole') return new HttpResponse(body.text, { status, headers });
  const encoder = new TextEncoder();
  const chunks = body.type === 'chunks' ? body.chunks : [];
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let last = 0;
      for (const chunk of chunks) {
        if (chunk.offsetMs > last) await new Promise((r) => setTimeout(r, chunk.offsetMs - last));
        last = chunk.offsetMs;
        controller.enqueue(encoder.encode(chunk.data));
      }
      controller.close();
    },
  });
  return new HttpResponse(stream, { status, headers });
}

async function readBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
