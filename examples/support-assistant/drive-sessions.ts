import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ScriptedSession } from './user-generator.ts';

/**
 * Plays scripted sessions against the app's `POST /api/chat`, the way the customers would:
 * each session's turns in order, waiting for the reply and then the think time; sessions
 * start at their offsets and run concurrently, at most `concurrency` at once.
 */
export interface DriveOptions {
  /** Most sessions in flight at once. */
  readonly concurrency: number;
  /** Time scale applied to start offsets and think times: 1 is real time, 0 no waiting. */
  readonly speed: number;
  /** Extra headers per turn (e.g. for attribution). Each turn already gets a fresh `traceparent`. */
  readonly headers?: (session: ScriptedSession, turnIndex: number) => Record<string, string>;
  /** Per-turn budget; a turn past it is recorded as failed and the session goes on. Default 30 s. */
  readonly turnTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Called as each turn finishes, e.g. for progress output. */
  readonly onTurn?: (turn: DrivenTurn) => void;
}

export interface DrivenTurn {
  readonly sessionId: string;
  readonly turnIndex: number;
  readonly text: string;
  readonly status: number | undefined;
  readonly reply: string | undefined;
  readonly triage: Record<string, unknown> | undefined;
  readonly error: string | undefined;
  readonly latencyMs: number;
}

async function sendTurn(baseUrl: string, session: ScriptedSession, turnIndex: number, options: DriveOptions): Promise<DrivenTurn> {
  const turn = session.turns[turnIndex];
  if (!turn) throw new Error(`session ${session.id} has no turn ${turnIndex}`);
  const started = performance.now();
  const base = { sessionId: session.id, turnIndex, text: turn.text };
  const signals = [AbortSignal.timeout(options.turnTimeoutMs ?? 30_000), ...(options.signal ? [options.signal] : [])];
  try {
    const response = await fetch(`${baseUrl.replace(/\/$/, '')}/api/chat`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
        ...options.headers?.(session, turnIndex),
      },
      body: JSON.stringify({ session_id: session.id, message: turn.text, channel: session.segment.channel }),
      signal: AbortSignal.any(signals),
    });
    const text = await response.text();
    const latencyMs = performance.now() - started;
    let body: { reply?: unknown; triage?: unknown; error?: unknown } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return { ...base, status: response.status, reply: undefined, triage: undefined, error: `reply is not JSON: ${text.slice(0, 200)}`, latencyMs };
    }
    return {
      ...base,
      status: response.status,
      reply: typeof body.reply === 'string' ? body.reply : undefined,
      triage: typeof body.triage === 'object' && body.triage !== null ? (body.triage as Record<string, unknown>) : undefined,
      error: response.ok ? undefined : `HTTP ${response.status}: ${typeof body.error === 'string' ? body.error : text.slice(0, 200)}`,
      latencyMs,
    };
  } catch (error) {
    return { ...base, status: undefined, reply: undefined, triage: undefined, error: error instanceof Error ? error.message : String(error), latencyMs: performance.now() - started };
  }
}

/** Drives every session to its end (or until `signal` aborts) and returns all turns, session by session. */
export async function driveSessions(baseUrl: string, sessions: readonly ScriptedSession[], options: DriveOptions): Promise<DrivenTurn[]> {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new Error(`concurrency must be a positive integer, got ${options.concurrency}`);
  if (!Number.isFinite(options.speed) || options.speed < 0) throw new Error(`speed must be a number >= 0, got ${options.speed}`);
  const queue = [...sessions].sort((a, b) => a.startOffsetMs - b.startOffsetMs);
  const results = new Map<string, DrivenTurn[]>();
  const t0 = performance.now();
  const wait = async (ms: number): Promise<void> => {
    if (ms > 0) await sleep(ms, undefined, { signal: options.signal }).catch(() => {});
  };

  async function worker(): Promise<void> {
    for (let session = queue.shift(); session; session = queue.shift()) {
      await wait(t0 + session.startOffsetMs * options.speed - performance.now());
      const turns: DrivenTurn[] = [];
      results.set(session.id, turns);
      for (let index = 0; index < session.turns.length; index++) {
        if (options.signal?.aborted) return;
        if (index > 0) await wait((session.turns[index]?.thinkMs ?? 0) * options.speed);
        if (options.signal?.aborted) return;
        const turn = await sendTurn(baseUrl, session, index, options);
        turns.push(turn);
        options.onTurn?.(turn);
      }
    }
  }

  await Promise.all(Array.from({ length: Math.min(options.concurrency, sessions.length) }, worker));
  return sessions.flatMap((session) => results.get(session.id) ?? []);
}
