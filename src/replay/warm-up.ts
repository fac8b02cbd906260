import type { WarmUpEvent } from '../model/index.ts';
import type { LoadConfig, Target } from '../scenario/schema.ts';
import type { Clock } from '../util/clock.ts';
import type { RunEnvironment } from './environment.ts';

/**
 * Connections warm-up opens when the target's pool is unbounded (no `concurrency`, no closed
 * `users`): the plan's estimated peak of sessions in flight, at most this many.
 */
const MAX_UNBOUNDED_WARM_UP_CONNECTIONS = 64;

/** True when the scenario asks for connections to be pre-opened: `load.warmup` > 0 or an explicit `load.warmupRequest`. */
export function wantsWarmUp(load: Pick<LoadConfig, 'warmup' | 'warmupRequest'>): boolean {
  return load.warmup > 0 || load.warmupRequest !== undefined;
}

/**
 * The side-effect-free request warm-up sends: `load.warmupRequest`, else the path of
 * `target.start.health` when it is on the target's origin. Never a chat turn, which would
 * create a session in the app. Returns why not when there is none.
 */
export function warmUpPath(load: Pick<LoadConfig, 'warmupRequest'>, targetUrl: string, healthUrl: string | undefined): { path: string } | { skipped: string } {
  if (load.warmupRequest !== undefined) return { path: load.warmupRequest };
  if (healthUrl !== undefined) {
    const health = new URL(healthUrl);
    if (health.origin === new URL(targetUrl).origin) return { path: `${health.pathname}${health.search}` };
    return { skipped: `target.start.health ${healthUrl} is not on the target's origin ${new URL(targetUrl).origin}; set load.warmupRequest to a side-effect-free path` };
  }
  return { skipped: 'no side-effect-free request to send: the target has no start.health; set load.warmupRequest' };
}

/**
 * Pre-opens the target adapter's keep-alive connections before the run's t = 0: as many as the
 * pool's bound (`environment.connections`), else `expectedPeak` capped at
 * `MAX_UNBOUNDED_WARM_UP_CONNECTIONS`. Returns the journal event; `t` is filled by the caller
 * once t = 0 is known. Never throws for a failing request: the run goes on and the report says so.
 */
export async function warmUpTarget(
  environment: Pick<RunEnvironment, 'target' | 'targetUrl' | 'healthUrl' | 'connections'>,
  scenario: { load: LoadConfig; target: Pick<Target, 'type'> },
  expectedPeak: number,
  clock: Clock,
  signal: AbortSignal,
): Promise<Omit<WarmUpEvent, 't'>> {
  const wanted = environment.connections ?? Math.min(expectedPeak, MAX_UNBOUNDED_WARM_UP_CONNECTIONS);
  const skip = (skipped: string): Omit<WarmUpEvent, 't'> => ({ type: 'warm-up', durationMs: 0, connections: { wanted, open: 0 }, requests: { ok: 0, failed: 0 }, errors: [], skipped });
  if (!environment.target.warmUp) return skip(`a ${scenario.target.type} target keeps no connection pool to pre-open`);
  if (wanted === 0) return skip('no session to play');
  const request = warmUpPath(scenario.load, environment.targetUrl, environment.healthUrl);
  if ('skipped' in request) return skip(request.skipped);
  const started = clock.now();
  const result = await environment.target.warmUp({ path: request.path, connections: wanted, signal });
  return {
    type: 'warm-up',
    durationMs: clock.now() - started,
    path: request.path,
    connections: { wanted, open: result.open },
    requests: { ok: result.ok, failed: result.failed },
    errors: result.errors,
  };
}
