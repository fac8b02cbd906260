import { pathToFileURL } from 'node:url';
import { HarnessError, errorMessage } from '../errors.ts';
import type { Target } from '../scenario/schema.ts';
import { turnSignal } from './turn-signal.ts';
import type { ObservedReply, SendContext, TargetAdapter, TargetTurn } from './types.ts';

export type FunctionTargetConfig = Extract<Target, { type: 'function' }>;

/** What an in-process target function receives besides the input. */
export interface FunctionTargetContext extends SendContext {
  turn: number;
  /** Base URLs of the virtual dependencies by name. */
  deps: Readonly<Record<string, string>>;
}

/** The reply of a target function: the text, or text plus structured output (and a status). */
export type FunctionReply = string | { text: string; structured?: unknown; status?: number };

/** `async (input, context) => reply`: an app turn handler called in-process. */
export type TargetFunction = (input: string, context: FunctionTargetContext) => Promise<FunctionReply> | FunctionReply;

/** Loads `config.module`'s `config.export` and calls it once per turn. */
export async function createFunctionTarget(config: FunctionTargetConfig, deps: Readonly<Record<string, string>>): Promise<TargetAdapter> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(config.module).href)) as Record<string, unknown>;
  } catch (err) {
    throw new HarnessError('TARGET', `cannot import target module ${config.module}: ${errorMessage(err)}`, { cause: err, hint: 'target.module is resolved against the scenario file' });
  }
  const fn = mod[config.export];
  if (typeof fn !== 'function') {
    throw new HarnessError('TARGET', `target module ${config.module} has no function export "${config.export}"`, {
      hint: `exports found: ${Object.keys(mod).join(', ') || '(none)'}; set target.export`,
    });
  }
  return functionTarget(fn as TargetFunction, config.timeout, deps);
}

/** Wraps a function as a target adapter (also for library use with a function in hand). */
export function functionTarget(fn: TargetFunction, timeoutMs: number, deps: Readonly<Record<string, string>> = {}): TargetAdapter {
  return {
    async send(turn: TargetTurn, context: SendContext): Promise<ObservedReply> {
      const turnAbort = turnSignal(context.signal, timeoutMs);
      const signal = turnAbort.signal;
      try {
        const reply = await raceAbort(Promise.resolve(fn(turn.input, { ...context, signal, turn: turn.index, deps })), signal);
        if (typeof reply === 'string') return { status: 200, text: reply };
        const out: ObservedReply = { status: reply.status ?? 200, text: reply.text };
        if (reply.structured !== undefined) out.structured = reply.structured;
        return out;
      } catch (err) {
        const timedOut = err instanceof Error && err.name === 'TimeoutError';
        return { status: 0, text: '', error: timedOut ? `no reply within ${timeoutMs} ms (target.timeout)` : `target function threw: ${errorMessage(err)}` };
      } finally {
        turnAbort.done();
      }
    },
    close: async () => {},
  };
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
