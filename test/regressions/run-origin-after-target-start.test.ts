import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { expect, it } from 'vitest';
import { groupJournal, readJournal } from '../../src/journal/journal-reader.ts';
import { runScenario } from '../../src/replay/index.ts';
import { supportSession } from '../replay/recordings.ts';
import { STAGING_APP, scenarioDir } from '../replay/scenario-files.ts';

// Regression: t = 0 of the run was taken before the target process started, so a session
// planned at offset 0 was "intended" seconds before the app was up and its first turn's
// latency included the whole boot time.
it('the schedule starts once the target is healthy: a slow boot is not counted as turn latency', async () => {
  const bootMs = 2500;
  const { scenarioPath } = await scenarioDir([supportSession(1, 1)], {
    target: {
      type: 'http',
      url: 'http://127.0.0.1:{{port}}',
      start: {
        command: `"${process.execPath}" "${STAGING_APP}"`,
        env: { PORT: '{{port}}', LLM_BASE_URL: '{{deps.llm}}', START_DELAY_MS: String(bootMs) },
        health: 'http://127.0.0.1:{{port}}/health',
        timeout: '20s',
      },
      request: { path: '/chat', body: { input: '{{input}}', session: '{{session}}' } },
      reply: { text: '/reply' },
      timeout: '10s',
    },
  });
  const result = await runScenario({ scenarioPath, out: new PassThrough().resume(), err: new PassThrough().resume(), env: process.env, cwd: process.cwd() });
  const [data] = [...groupJournal(await readJournal(join(result.runDir, 'journal.jsonl'))).instances.values()];
  const first = data?.turns[0];
  expect(first?.reply.text).toBeTruthy();
  // The boot took bootMs; a turn against a loopback app answering from a virtual model does not.
  expect(first?.latencyMs).toBeLessThan(bootMs);
  expect((first?.sentAt ?? Infinity) - (first?.intendedAt ?? 0)).toBeLessThan(bootMs);
});
