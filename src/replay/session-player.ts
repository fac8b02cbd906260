import { createRekeyer, type Rekeyer } from '../anonymize/index.ts';
import type { VirtualDeps } from '../deps/index.ts';
import { errorMessage } from '../errors.ts';
import type { JournalEvent, Session, TurnEvent } from '../model/index.ts';
import type { LoadConfig } from '../scenario/schema.ts';
import { propagationHeaders } from '../target/propagation.ts';
import type { ObservedReply, TargetAdapter } from '../target/types.ts';
import type { PlannedInstance } from './instances.ts';
import { thinkTimeMs } from './plan.ts';
import type { PreciseTimer } from './precise-timer.ts';

/** What playing instances needs from the run around it. */
export interface PlayerContext {
  runId: string;
  target: TargetAdapter;
  /** Absent when the scenario declares no dependencies. */
  deps: VirtualDeps | undefined;
  append(event: JournalEvent): void;
  timer: PreciseTimer;
  /** Clock time of t = 0. */
  origin: number;
  load: Pick<LoadConfig, 'thinkTime' | 'speed'>;
  /** Called after every turn (progress display). */
  onTurn?(event: TurnEvent): void;
}

/**
 * Plays one session instance: fresh identities from its seed key, registered with the virtual
 * dependencies, then each turn in order — the first at `intendedStart`, each next one after
 * the previous reply plus think time. Latency counts from the intended send time. A turn with
 * no reply at all (status 0: target down, timeout) fails the session; HTTP errors do not.
 * `turnTimes` (clock times, by turn) replaces think time for the turns it covers: turn k is
 * due at `turnTimes[k]` but never before the previous reply (a repro keeping a run's
 * interleaving of several instances).
 */
export async function playInstance(ctx: PlayerContext, inst: PlannedInstance, session: Session, intendedStart: number, signal: AbortSignal, turnTimes?: readonly number[]): Promise<void> {
  const t = () => ctx.timer.clock.now() - ctx.origin;
  let rekeyer: Rekeyer;
  try {
    rekeyer = createRekeyer(session.identities, inst.seedKey);
  } catch (err) {
    ctx.append(sessionStart(inst, session, [], t()));
    ctx.append({ type: 'session-end', t: t(), instance: inst.instance, status: 'failed', error: `cannot re-key identities: ${errorMessage(err)}` });
    return;
  }
  ctx.deps?.register({ instance: inst.instance, seedKey: inst.seedKey, recorded: session, rekeyer, variant: inst.variant, faultsEnabled: inst.variant !== 'control' });
  ctx.append(sessionStart(inst, session, rekeyer.canaries, t()));
  let status: 'completed' | 'failed' | 'aborted' = 'completed';
  let failure: string | undefined;
  try {
    let previousReplyAt = intendedStart;
    for (const [k, turn] of session.turns.entries()) {
      const due = turnTimes?.[k];
      const intended = k === 0 ? intendedStart : due === undefined ? previousReplyAt + thinkTimeMs(session, k, ctx.load) : Math.max(due, previousReplyAt);
      await ctx.timer.until(intended, signal);
      ctx.deps?.setTurn(inst.instance, k);
      const input = rekeyer.applyText(turn.input.text);
      const sentAt = ctx.timer.clock.now();
      const reply = await ctx.target.send(
        { index: k, input },
        { runId: ctx.runId, instance: inst.instance, headers: propagationHeaders({ runId: ctx.runId, instance: inst.instance, turn: k }), signal },
      );
      previousReplyAt = ctx.timer.clock.now();
      const event = turnEvent(inst.instance, k, input, reply, intended - ctx.origin, sentAt - ctx.origin, previousReplyAt - ctx.origin);
      ctx.append(event);
      ctx.onTurn?.(event);
      if (reply.status === 0) {
        status = signal.aborted ? 'aborted' : 'failed';
        failure = `turn ${k}: ${reply.error ?? 'no reply'}`;
        break;
      }
    }
  } catch (err) {
    status = signal.aborted ? 'aborted' : 'failed';
    failure = errorMessage(err);
  } finally {
    ctx.deps?.setTurn(inst.instance, null);
    ctx.deps?.unregister(inst.instance);
    await ctx.target.endSession?.(inst.instance).catch(() => {});
  }
  ctx.append({ type: 'session-end', t: t(), instance: inst.instance, status, ...(failure === undefined ? {} : { error: failure }) });
}

function sessionStart(inst: PlannedInstance, session: Session, canaries: Rekeyer['canaries'], t: number): JournalEvent {
  return {
    type: 'session-start',
    t,
    instance: inst.instance,
    recordedSession: session.id,
    clone: inst.clone,
    variant: inst.variant,
    ...(inst.shadowOf === undefined ? {} : { shadowOf: inst.shadowOf }),
    segment: session.segment,
    canaries,
    faulted: inst.faulted,
  };
}

function turnEvent(instance: string, turn: number, input: string, reply: ObservedReply, intendedAt: number, sentAt: number, t: number): TurnEvent {
  const event: TurnEvent = {
    type: 'turn',
    t,
    instance,
    turn,
    intendedAt,
    sentAt,
    latencyMs: Math.max(0, t - intendedAt),
    status: reply.status,
    input,
    reply: reply.structured === undefined ? { text: reply.text } : { text: reply.text, structured: reply.structured },
  };
  if (reply.ttftMs !== undefined) event.ttftMs = reply.ttftMs;
  if (reply.gapsMs !== undefined) event.gapsMs = reply.gapsMs;
  if (reply.error !== undefined) event.error = reply.error;
  return event;
}
