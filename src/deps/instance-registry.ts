import { HarnessError } from '../errors.ts';
import type { InstanceContext } from './index.ts';
import type { AttributionView } from './attribution.ts';
import { indexCandidates, type CandidateIndex } from './candidates.ts';
import { traceKeyFor } from '../wire/trace-context.ts';

/** Everything the server keeps about one registered instance. */
export interface InstanceState {
  ctx: InstanceContext;
  /** Per dependency, the instance's re-keyed recorded exchanges. */
  candidates: Map<string, CandidateIndex>;
  turn: number | null;
  /** `${turn} ${dependency}` → calls so far; `${turn} ${dependency} ${route}` → repeats so far. */
  counters: Map<string, number>;
}

/** The canaries shorter than this are too likely to occur by chance to attribute a call. */
const MIN_CANARY_LENGTH = 4;

/**
 * Registered session instances and their lookups: by id, by trace key, by canary, by turn in
 * flight. Registration re-keys the recorded session once and indexes its exchanges, so
 * answering a call does no per-call copying.
 */
export class InstanceRegistry implements AttributionView {
  readonly #instances = new Map<string, InstanceState>();
  readonly #byTraceKey = new Map<string, string>();
  readonly #canaries = new Map<string, string>();
  readonly #inFlight = new Set<string>();

  register(ctx: InstanceContext): void {
    if (this.#instances.has(ctx.instance)) {
      throw new HarnessError('INTERNAL', `session instance ${ctx.instance} is already registered with the virtual dependencies`, {
        hint: 'unregister an instance before registering it again; instance ids must be unique within a run',
      });
    }
    const session = ctx.rekeyer.apply(ctx.recorded);
    this.#instances.set(ctx.instance, { ctx, candidates: indexCandidates(session), turn: null, counters: new Map() });
    this.#byTraceKey.set(traceKeyFor(ctx.instance), ctx.instance);
    for (const canary of ctx.rekeyer.canaries) if (canary.value.length >= MIN_CANARY_LENGTH) this.#canaries.set(canary.value, ctx.instance);
  }

  unregister(instance: string): void {
    const state = this.#instances.get(instance);
    if (!state) return;
    this.#instances.delete(instance);
    this.#byTraceKey.delete(traceKeyFor(instance));
    for (const canary of state.ctx.rekeyer.canaries) if (this.#canaries.get(canary.value) === instance) this.#canaries.delete(canary.value);
    this.#inFlight.delete(instance);
  }

  setTurn(instance: string, turn: number | null): void {
    const state = this.#instances.get(instance);
    if (!state) {
      if (turn === null) return; // a late "turn over" after unregistering is harmless
      throw new HarnessError('INTERNAL', `setTurn(${instance}, ${turn}): the instance is not registered`, { hint: 'register the instance before its first turn' });
    }
    state.turn = turn;
    if (turn === null) this.#inFlight.delete(instance);
    else this.#inFlight.add(instance);
  }

  get(instance: string): InstanceState | undefined {
    return this.#instances.get(instance);
  }

  /** Increments and returns the previous value of a per-instance counter (0 first). */
  count(state: InstanceState, key: string): number {
    const n = state.counters.get(key) ?? 0;
    state.counters.set(key, n + 1);
    return n;
  }

  has(instance: string): boolean {
    return this.#instances.has(instance);
  }
  currentTurn(instance: string): number | null {
    return this.#instances.get(instance)?.turn ?? null;
  }
  byTraceKey(traceKey: string): string | undefined {
    return this.#byTraceKey.get(traceKey);
  }
  /** A linear scan of the registered canaries; only reached for calls without context headers. */
  canaryOwners(text: string): string[] {
    const owners = new Set<string>();
    for (const [value, instance] of this.#canaries) {
      if (!owners.has(instance) && text.includes(value)) {
        owners.add(instance);
        if (owners.size > 1) break;
      }
    }
    return [...owners];
  }
  inFlight(): string[] {
    return [...this.#inFlight];
  }
}
