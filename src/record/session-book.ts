/**
 * The recorder's memory of what is happening: turns in flight, the sessions they belong to,
 * and which dependency call goes with which turn. Capture layers (proxy, in-process) feed it;
 * it hands closed sessions, raw and not yet built, to `onClose`. It never does I/O.
 *
 * Attribution design: a dependency call is tied to a turn by, in order, (1) propagated
 * `x-rehearsal-session`/`-turn` or `baggage`, (2) the `traceparent` trace id the turn was
 * given, (3) a configured correlation header whose value the turn's inbound request carried,
 * (4) time — only when exactly one turn is in flight. Anything else is counted unattributed,
 * never guessed.
 */
import type { TurnOutput, RecordedRequest } from '../model/index.ts';
import type { Admission, AdmissionPolicy } from './admission.ts';
import type { CapturedCall, KindRules } from './captured-call.ts';
import { ClosedSession, type EndedTurn } from './closed-session.ts';
import type { Propagated } from './propagation.ts';

export interface ActiveTurn {
  readonly id: number;
  /** Monotonic ms. */
  readonly startedAt: number;
  readonly startedWall: number;
  readonly traceId: string | undefined;
  readonly correlation: string | undefined;
  session: OpenSession | undefined;
  /** Index within its session, known once the session is. */
  index: number;
  calls: CapturedCall[];
  input: { text: string; request?: RecordedRequest } | undefined;
  output: TurnOutput | undefined;
}

interface OpenSession {
  readonly key: string;
  readonly id: string;
  readonly segment: Record<string, string>;
  readonly admission: Admission;
  turns: ActiveTurn[];
  inFlight: number;
  lastActivity: number;
}

export interface SessionBookOptions {
  admission: AdmissionPolicy;
  kinds: KindRules;
  idleMs: number;
  now: () => number;
  /** Gets each closed session still raw and unbuilt: building is left to the caller's own pace. */
  onClose(session: ClosedSession): void;
  onRejected(reason: Exclude<Admission, 'admit'>): void;
}

export type Attribution = { turn: ActiveTurn; via: 'headers' | 'trace' | 'correlation' | 'time' } | undefined;

export class SessionBook {
  readonly #o: SessionBookOptions;
  readonly #inFlight = new Set<ActiveTurn>();
  readonly #byTrace = new Map<string, ActiveTurn>();
  readonly #byCorrelation = new Map<string, ActiveTurn>();
  /** Open sessions in order of last activity, oldest first (`end` moves a session to the back). */
  readonly #sessions = new Map<string, OpenSession>();
  /** How many times each key has opened a session: a key back after its idle timeout is a new session. */
  readonly #opened = new Map<string, number>();
  #nextTurnId = 1;

  constructor(options: SessionBookOptions) {
    this.#o = options;
  }

  get openSessions(): number {
    return this.#sessions.size;
  }

  begin(meta: { startedWall: number; traceId?: string; correlation?: string }): ActiveTurn {
    const turn: ActiveTurn = {
      id: this.#nextTurnId++,
      startedAt: this.#o.now(),
      startedWall: meta.startedWall,
      traceId: meta.traceId,
      correlation: meta.correlation,
      session: undefined,
      index: -1,
      calls: [],
      input: undefined,
      output: undefined,
    };
    this.#inFlight.add(turn);
    if (meta.traceId) this.#byTrace.set(meta.traceId, turn);
    if (meta.correlation) this.#byCorrelation.set(meta.correlation, turn);
    return turn;
  }

  /** Ties a turn to its session (opening it, and deciding admission, on its first turn). */
  assign(turn: ActiveTurn, sessionKey: string, segment: () => Record<string, string>): void {
    if (turn.session) return;
    let session = this.#sessions.get(sessionKey);
    if (!session) {
      const n = (this.#opened.get(sessionKey) ?? 0) + 1;
      this.#opened.set(sessionKey, n);
      const seg = segment();
      const admission = this.#o.admission.decide(sessionKey, seg);
      if (admission !== 'admit') this.#o.onRejected(admission);
      session = { key: sessionKey, id: n === 1 ? sessionKey : `${sessionKey}#${n}`, segment: seg, admission, turns: [], inFlight: 0, lastActivity: this.#o.now() };
      this.#sessions.set(sessionKey, session);
    }
    turn.session = session;
    session.inFlight++;
    if (session.admission !== 'admit') {
      // Not recorded: keep nothing of it, only the count that lets the session idle out.
      turn.calls = [];
      return;
    }
    turn.index = session.turns.length;
    session.turns.push(turn);
  }

  /** Finishes a turn. A turn never assigned to a session is forgotten (returns false). */
  end(turn: ActiveTurn, input: ActiveTurn['input'], output: TurnOutput): boolean {
    if (!this.#inFlight.delete(turn)) return turn.session !== undefined;
    if (turn.traceId && this.#byTrace.get(turn.traceId) === turn) this.#byTrace.delete(turn.traceId);
    if (turn.correlation && this.#byCorrelation.get(turn.correlation) === turn) this.#byCorrelation.delete(turn.correlation);
    turn.input = input;
    turn.output = output;
    const session = turn.session;
    if (!session) return false;
    session.inFlight--;
    session.lastActivity = this.#o.now();
    if (this.#sessions.get(session.key) === session) {
      // Keep the map in last-activity order, so a sweep stops at the first recent session.
      this.#sessions.delete(session.key);
      this.#sessions.set(session.key, session);
    }
    return true;
  }

  /** Finds the in-flight turn a dependency call belongs to, or undefined (see the design note). */
  attribute(propagated: Propagated, correlation: string | undefined): Attribution {
    if (propagated.session !== undefined) {
      const session = this.#sessions.get(propagated.session);
      const turn = propagated.turn === undefined ? session?.turns.findLast((t) => this.#inFlight.has(t)) : session?.turns[propagated.turn];
      if (turn) return { turn, via: 'headers' };
    }
    const byTrace = propagated.traceId ? this.#byTrace.get(propagated.traceId) : undefined;
    if (byTrace) return { turn: byTrace, via: 'trace' };
    const byCorrelation = correlation ? this.#byCorrelation.get(correlation) : undefined;
    if (byCorrelation) return { turn: byCorrelation, via: 'correlation' };
    if (this.#inFlight.size === 1) {
      const [only] = this.#inFlight;
      if (only) return { turn: only, via: 'time' };
    }
    return undefined;
  }

  /** Adds a finished call to its turn (even when the turn has already ended but its session is open). */
  addCall(turn: ActiveTurn, call: CapturedCall): void {
    if (turn.session && turn.session.admission !== 'admit') return;
    turn.calls.push(call);
  }

  /**
   * Closes sessions idle for the configured time, oldest first, at most `max` of them, and
   * returns how many it closed: when that is `max`, more may be idle, and the caller sweeps
   * again after letting the event loop run. Sessions with a turn in flight are skipped; the
   * scan ends at the first recently active one, so a pass costs O(closed + in flight).
   */
  sweep(max = Number.POSITIVE_INFINITY): number {
    const now = this.#o.now();
    let closed = 0;
    for (const session of this.#sessions.values()) {
      if (closed >= max) break;
      if (session.inFlight > 0) continue;
      if (now - session.lastActivity < this.#o.idleMs) break;
      this.#close(session);
      closed++;
    }
    return closed;
  }

  /** Shutdown: closes every session; turns still in flight are recorded with an error. */
  closeAll(): void {
    for (const turn of [...this.#inFlight]) {
      this.end(turn, turn.input ?? { text: '' }, {
        status: 0,
        text: '',
        latencyMs: Math.max(0, this.#o.now() - turn.startedAt),
        error: 'recorder shut down before the reply finished',
      });
    }
    for (const session of [...this.#sessions.values()]) this.#close(session);
  }

  /** Detaches a session and hands its ended turns over, unbuilt (see `closed-session.ts`). */
  #close(session: OpenSession): void {
    this.#sessions.delete(session.key);
    if (session.admission !== 'admit') return;
    const ended: EndedTurn[] = [];
    for (const t of session.turns) {
      if (t.output !== undefined) ended.push({ startedAt: t.startedAt, startedWall: t.startedWall, input: t.input, output: t.output, calls: t.calls.slice() });
    }
    if (ended.length === 0) return;
    ended.sort((a, b) => a.startedAt - b.startedAt);
    this.#o.onClose(new ClosedSession(session.id, session.segment, ended, this.#o.kinds));
  }
}
