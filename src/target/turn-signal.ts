/**
 * One signal for a turn: aborts when the run aborts the turn or after `timeoutMs`.
 * Cheaper than `AbortSignal.any([signal, AbortSignal.timeout(ms)])`, which keeps composite
 * bookkeeping alive per request and showed up in the replayer's profile; `done()` clears both.
 */
export function turnSignal(parent: AbortSignal, timeoutMs: number): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, done: () => {} };
  }
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new DOMException(`no reply within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  return {
    signal: controller.signal,
    done() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
    },
  };
}
