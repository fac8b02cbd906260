import { afterAll, expect, test } from 'vitest';
import { startStack, type Fault, type Stack } from './observed-stack.ts';

const stacks: Stack[] = [];
afterAll(async () => {
  await Promise.all(stacks.map((s) => s.close()));
});

// The retrieval index hangs for `ms`, then answers.
const hangingRetrieval =
  (ms: number): Fault =>
  (call) =>
    call.path === '/retrieval/search' ? { delayMs: ms, status: 200, body: { documents: [] } } : undefined;

async function timedTurn(defects: ['no-retrieval-timeout'] | [], hangMs: number): Promise<{ ms: number; reply: string; retrievals: number }> {
  const stack = await startStack(defects, { fault: hangingRetrieval(hangMs), latencyScale: 0 });
  stacks.push(stack);
  const started = performance.now();
  const { reply } = await stack.chat('slow-1', 'How long does shipping take?');
  return { ms: performance.now() - started, reply, retrievals: stack.deps.calls.filter((c) => c.path === '/retrieval/search').length };
}

test('no-retrieval-timeout: the defective turn waits for a hanging index, the fixed one gives up at 1.5 s and answers', async () => {
  // Both run at once so the file costs one hang, not two. The fixed app's index hangs for
  // ten minutes (cleared at close): it can only answer by giving up, with no upper time
  // bound to flake on a loaded machine.
  const [fixed, defective] = await Promise.all([timedTurn([], 600_000), timedTurn(['no-retrieval-timeout'], 5_000)]);
  expect(fixed.ms).toBeGreaterThanOrEqual(1_400);
  expect(fixed.retrievals).toBe(1);
  expect(fixed.reply).toMatch(/shipping/i);
  expect(defective.ms).toBeGreaterThanOrEqual(4_900);
  expect(defective.reply).toMatch(/shipping/i);
});
