import { createServer } from 'node:http';
import { errorMessage, HarnessError } from '../errors.ts';
import { systemClock } from '../util/clock.ts';
import { closeNow, listenOnLoopback } from '../util/loopback.ts';
import { validateFaultRules } from './faults/decide.ts';
import { handleCall, type DepsRuntime } from './handle-call.ts';
import type { VirtualDeps, VirtualDepsOptions } from './index.ts';
import { InstanceRegistry } from './instance-registry.ts';
import { UpstreamProxy } from './upstream-proxy.ts';

/** Every problem with the dependency and fault configuration, all in one error. */
function validate(options: VirtualDepsOptions): void {
  const names = Object.keys(options.dependencies);
  const issues = validateFaultRules(options.faults, names);
  for (const [name, dep] of Object.entries(options.dependencies)) {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) issues.push(`dependencies.${name}: names may use letters, digits, dot, dash and underscore only (they become a URL path segment)`);
    if (dep.mode === 'proxy' && dep.upstream === undefined) issues.push(`dependencies.${name}: mode proxy needs an \`upstream\` URL`);
    if (dep.unmatched === 'passthrough' && dep.upstream === undefined) issues.push(`dependencies.${name}: unmatched passthrough needs an \`upstream\` URL`);
    if (dep.upstream !== undefined && !URL.canParse(dep.upstream)) issues.push(`dependencies.${name}: upstream ${JSON.stringify(dep.upstream)} is not a URL`);
  }
  if (issues.length > 0) {
    throw new HarnessError('CONFIG', `invalid virtual dependency configuration:\n  - ${issues.join('\n  - ')}`, {
      hint: 'fix the `dependencies:` and `faults:` sections of the scenario (see docs/faults.md)',
    });
  }
}

/**
 * The thin shell around `handleCall`: a keep-alive node:http server on 127.0.0.1, an
 * instance registry and the upstream pools.
 */
export async function startServer(options: VirtualDepsOptions): Promise<VirtualDeps> {
  validate(options);
  const clock = options.clock ?? systemClock;
  const registry = new InstanceRegistry();
  const proxy = new UpstreamProxy();
  let url = '';
  const baseUrl = (name: string): string => {
    if (!Object.hasOwn(options.dependencies, name)) {
      throw new HarnessError('CONFIG', `no virtual dependency named ${name}`, { hint: `declared: ${Object.keys(options.dependencies).join(', ') || 'none'}` });
    }
    return `${url}/_deps/${name}`;
  };
  const onWarning = options.onWarning ?? (() => {});
  const rt: DepsRuntime = {
    dependencies: options.dependencies,
    faults: options.faults,
    seed: options.seed,
    clock,
    origin: options.runStartedAt ?? clock.now(),
    registry,
    proxy,
    baseUrl,
    onCall: options.onCall,
    onWarning,
    ...(options.holdUntil ? { holdUntil: options.holdUntil } : {}),
  };

  const server = createServer({ keepAlive: true, keepAliveTimeout: 65_000 }, (req, res) => {
    handleCall(rt, req, res).catch((err: unknown) => {
      onWarning(`virtual dependency ${req.method} ${req.url} failed: ${errorMessage(err)}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { type: 'rehearsal_internal', message: errorMessage(err) } }));
      } else res.destroy();
    });
  });
  url = await listenOnLoopback(server);

  return {
    url,
    baseUrl,
    register: (ctx) => registry.register(ctx),
    setTurn: (instance, turn) => registry.setTurn(instance, turn),
    unregister: (instance) => registry.unregister(instance),
    async close() {
      await Promise.all([closeNow(server), proxy.close()]);
    },
  };
}
