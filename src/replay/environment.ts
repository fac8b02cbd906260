import { join } from 'node:path';
import { startVirtualDeps, type VirtualDeps } from '../deps/index.ts';
import { errorMessage } from '../errors.ts';
import type { CallEvent } from '../model/index.ts';
import type { Scenario } from '../scenario/schema.ts';
import { renderTemplate } from '../scenario/templates.ts';
import { createTarget } from '../target/index.ts';
import { startTarget, type StartedProcess } from '../target/start-command.ts';
import type { TargetAdapter } from '../target/types.ts';
import type { Clock } from '../util/clock.ts';
import { checkProductionGuard } from './guard.ts';

/** Everything a run talks to: the virtual dependencies, the started staging process, the target adapter. */
export interface RunEnvironment {
  target: TargetAdapter;
  deps: VirtualDeps | undefined;
  /** Base URLs of the virtual dependencies by name. */
  depsUrls: Record<string, string>;
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
}

/**
 * Opens the run's environment in order — guard, virtual dependencies, target process (with
 * `{{port}}` and `{{deps.*}}` rendered, output to `<run-dir>/target.log`), adapter — and
 * closes what was opened if a later step fails.
 */
export async function openEnvironment(options: EnvironmentOptions): Promise<RunEnvironment> {
  const { scenario } = options;
  checkProductionGuard(scenario);
  const closers: Array<[string, () => Promise<void>]> = [];
  const close = async (): Promise<string[]> => {
    const problems: string[] = [];
    for (const [what, fn] of closers.reverse()) {
      try {
        await fn();
      } catch (err) {
        problems.push(`closing ${what}: ${errorMessage(err)}`);
      }
    }
    closers.length = 0;
    return problems;
  };
  try {
    let deps: VirtualDeps | undefined;
    const depsUrls: Record<string, string> = {};
    if (Object.keys(scenario.dependencies).length > 0) {
      deps = await startVirtualDeps({ dependencies: scenario.dependencies, faults: scenario.faults, seed: options.seed, clock: options.clock, onCall: options.onCall });
      closers.push(['virtual dependencies', () => (deps as VirtualDeps).close()]);
      for (const name of Object.keys(scenario.dependencies)) depsUrls[name] = deps.baseUrl(name);
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
    return { target, deps, depsUrls, close };
  } catch (err) {
    await close();
    throw err;
  }
}
