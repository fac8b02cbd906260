/**
 * CONTRACT STUB — the virtual-dependencies helper replaces these bodies; the replayer codes
 * against these signatures. Keep them (extend, don't break).
 */
import { HarnessError } from '../errors.ts';
import type { Rekeyer } from '../anonymize/index.ts';
import type { CallEvent, Session, SessionVariant } from '../model/index.ts';
import type { DependencyConfig, FaultRule } from '../scenario/schema.ts';
import type { Clock } from '../util/clock.ts';

/** A session instance the virtual dependencies answer for while it plays. */
export interface InstanceContext {
  /** Session instance id (also sent by the target as `x-rehearsal-session`). */
  instance: string;
  /**
   * Stable key for seeding this instance's random choices (fault schedule, surrogates): the
   * same in every run of the same scenario and seed, independent of run id and interleaving,
   * e.g. `s0007~c1`. `repro` relies on it.
   */
  seedKey: string;
  recorded: Session;
  /** Maps recorded surrogates to this instance's identities in every answer served. */
  rekeyer: Rekeyer;
  variant: SessionVariant;
  /** False for control instances: no fault rule applies. */
  faultsEnabled: boolean;
}

export interface VirtualDepsOptions {
  dependencies: Record<string, DependencyConfig>;
  faults: FaultRule[];
  seed: string;
  clock?: Clock;
  /** Every observed call, in completion order. */
  onCall(event: CallEvent): void;
}

export interface VirtualDeps {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Base URL the staging app should use for dependency `name`: `${url}/_deps/${name}`. */
  baseUrl(name: string): string;
  register(ctx: InstanceContext): void;
  /** The turn the instance is on now (null between turns): used for attribution by time. */
  setTurn(instance: string, turn: number | null): void;
  unregister(instance: string): void;
  close(): Promise<void>;
}

export async function startVirtualDeps(_options: VirtualDepsOptions): Promise<VirtualDeps> {
  throw new HarnessError('INTERNAL', 'virtual dependencies not implemented yet');
}
