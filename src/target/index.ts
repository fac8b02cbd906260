import type { Target } from '../scenario/schema.ts';
import { createBrowserTarget } from './browser-target.ts';
import { createFunctionTarget } from './function-target.ts';
import { createHttpTarget, type TargetEnvironment } from './http-target.ts';
import { createSseTarget } from './sse-target.ts';
import type { TargetAdapter } from './types.ts';

export type { ObservedReply, SendContext, TargetAdapter, TargetTurn, WarmUpRequest, WarmUpResult } from './types.ts';
export type { TargetEnvironment } from './http-target.ts';
export { functionTarget, type TargetFunction, type FunctionReply, type FunctionTargetContext } from './function-target.ts';
export { propagationHeaders } from './propagation.ts';
export { startTarget, freePort, type StartedProcess } from './start-command.ts';

type TargetType = Target['type'];
type Factory<K extends TargetType> = (config: Extract<Target, { type: K }>, env: TargetEnvironment) => TargetAdapter | Promise<TargetAdapter>;

/** Built-in adapters by `target.type`: the compiler checks each factory takes its own config. */
export const targetAdapters: { [K in TargetType]: Factory<K> } = {
  http: createHttpTarget,
  sse: createSseTarget,
  browser: createBrowserTarget,
  function: (config, env) => createFunctionTarget(config, env.deps),
};

/** Creates the adapter for a scenario's target. */
export function createTarget(config: Target, env: TargetEnvironment): Promise<TargetAdapter> {
  const factory = targetAdapters[config.type] as Factory<TargetType>;
  return Promise.resolve(factory(config as never, env));
}

