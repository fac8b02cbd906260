import type { FaultCall, Outcome } from './fault-kind.ts';

/**
 * Waits `ms` on the injected clock. Resolves to a `client_closed` drop when the app gives up
 * meanwhile (there is no one left to answer), to undefined when the wait completed.
 */
export async function waitOrDrop(call: FaultCall, ms: number): Promise<Outcome | undefined> {
  if (ms <= 0) return undefined;
  try {
    await call.clock.sleep(ms, call.signal);
    return undefined;
  } catch {
    return { type: 'drop', code: 'client_closed', message: `the app closed the connection during a ${Math.round(ms)} ms wait` };
  }
}
