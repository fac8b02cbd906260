import { join } from 'node:path';
import { startVirtualDeps, type AnswerHold, type VirtualDeps } from '../deps/index.ts';
import { errorMessage } from '../errors.ts';
import type { CallEvent } from '../model/index.ts';
import type { DependencyConfig, Scenario } from '../scenario/schema.ts';
import { renderTemplate } from '../scenario/templates.ts';
import { createTarget } from '../target/index.ts';
import { startProcess, startTarget, type StartedProcess } from '../target/start-command.ts';
import type { TargetAdapter } from '../target/types.ts';
import type { Clock } from '../util/clock.ts';
import { checkProductionGuard } from './guard.ts';

/** Everything a run talks to: the virtual dependencies, the started staging process, the target adapter. */
export interface RunEnvironment {
  target: TargetAdapter;
  deps: VirtualDeps | undefined;
  /** Base URLs of the virtual dependencies by name. */
  depsUrls: Record<string, string>;
  /** The target's base URL and `start.health` URL, rendered (empty / undefined for a function target / no start). */
  targetUrl: string;
  healthUrl: string | undefined;
  /** The bound on the target's connection pool; undefined when unbounded. */
  connections: number | undefined;
  /** Stops the target adapter, the started process and the dependencies; never throws. Returns problems in words. */
  close(): Promise<string[]>;
}

export interface EnvironmentOptions {
  scenario: Scenario;
  runDir: string;
  clock: Clock;
  /** Seed for the dependencies' fault schedule and answers. */
  seed: string;
  onCall(event: CallEvent): void;
  /** Passed to the virtual dependencies (a repro keeping a run's order of answers). */
  holdUntil?: AnswerHold;
}

/**
 * Opens the run's environment in order — guard, dependency processes (`dependencies.<name>.start`,
 * output to `<run-dir>/dep-<name>.log`), virtual dependencies (upstreams rendered with those
 * processes' ports and guarded again), target process (with `{{port}}` and `{{deps.*}}`
 * rendered, output to `<run-dir>/target.log`), adapter — and closes what was opened, in
 * reverse, if a later step fails or when the run ends.
 */
export async function openEnvironment(options: EnvironmentOptions): Promise<RunEnvironment> {
  const { scenario } = options;
  checkProductionGuard(scenario);
  // A closer may return a problem to report even though closing itself went fine.
  const closers: Array<[string, () => Promise<string | void>]> = [];
  const close = async (): Promise<string[]> => {
    const problems: string[] = [];
    for (const [what, fn] of closers.reverse()) {
      try {
        const problem = await fn();
        if (problem) problems.push(problem);
      } catch (err) {
        problems.push(`closing ${what}: ${errorMessage(err)}`);
      }
    }
    closers.length = 0;
    return problems;
  };
  try {
    const dependencies = await startDependencyProcesses(scenario.dependencies, options.runDir, (what, fn) => closers.push([what, fn]));
    checkProductionGuard({ ...scenario, dependencies });
    let deps: VirtualDeps | undefined;
    const depsUrls: Record<string, string> = {};
    if (Object.keys(dependencies).length > 0) {
      deps = await startVirtualDeps({ dependencies, faults: scenario.faults, seed: options.seed, clock: options.clock, onCall: options.onCall, ...(options.holdUntil ? { holdUntil: options.holdUntil } : {}) });
      closers.push(['virtual dependencies', () => (deps as VirtualDeps).close()]);
      for (const name of Object.keys(dependencies)) depsUrls[name] = deps.baseUrl(name);
    }
    let started: StartedProcess | undefined;
    if (scenario.target.start) {
      started = await startTarget(scenario.target.start, depsUrls, join(options.runDir, 'target.log'), join(options.runDir, 'target.pid'));
      closers.push(['target process', () => (started as StartedProcess).stop()]);
    }
    const url = scenario.target.type === 'function' ? '' : renderTemplate(scenario.target.url, { deps: depsUrls, ...(started ? { port: started.port } : {}) });
    // Bound the Pool by the sessions that can be in flight: an unbounded Pool opens a new socket
    // whenever all are busy, which costs more than it gains on loopback (see bench/replay.bench.ts).
    const connections = scenario.load.concurrency ?? (scenario.load.model === 'closed' ? scenario.load.users : undefined);
    const env = { url, deps: depsUrls, ...(connections === undefined ? {} : { connections }), ...(started ? { deadCause: started.deadCause } : {}) };
    const target = await createTarget(scenario.target, env);
    closers.push(['target adapter', () => target.close()]);
    const healthUrl = started && scenario.target.start ? renderTemplate(scenario.target.start.health, { deps: depsUrls, port: started.port }) : undefined;
    return { target, deps, depsUrls, targetUrl: url, healthUrl, connections, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Starts every dependency's `start` process at once, each on its own free port, and returns
 * the dependencies with `{{port}}` in `upstream` rendered. Each process that started is handed
 * to `onStarted` (even when another failed, so the caller stops it); a process that died
 * during the run is reported when it is stopped (its proxied calls failed meanwhile).
 */
async function startDependencyProcesses(
  configured: Readonly<Record<string, DependencyConfig>>,
  runDir: string,
  onStarted: (what: string, stop: () => Promise<string | void>) => void,
): Promise<Record<string, DependencyConfig>> {
  const withStart = Object.entries(configured).filter(([, dep]) => dep.start !== undefined);
  const results = await Promise.allSettled(
    withStart.map(async ([name, dep]) => {
      const file = `dep-${name.replace(/[^\w.-]/g, '_')}`;
      const proc = await startProcess(dep.start as NonNullable<DependencyConfig['start']>, {
        label: `dependency ${name}`,
        logPath: join(runDir, `${file}.log`),
        pidPath: join(runDir, `${file}.pid`),
        errorCode: 'DEPENDENCY',
        field: `dependencies.${name}.start`,
      });
      onStarted(`dependency ${name} process`, async () => {
        const died = proc.deadCause();
        await proc.stop();
        return died;
      });
      return [name, proc.port] as const;
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const ports = new Map(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])));
  return Object.fromEntries(
    Object.entries(configured).map(([name, dep]) => {
      const port = ports.get(name);
      return [name, port !== undefined && dep.upstream !== undefined ? { ...dep, upstream: renderTemplate(dep.upstream, { port }) } : dep];
    }),
  );
}
