import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Session } from '../../src/model/index.ts';
import { writeRecording } from './recordings.ts';

export const STAGING_APP = join(import.meta.dirname, 'staging-app.ts');

/** A temp dir holding `recordings/prod.tar` with `sessions` and `scenario.yaml` replaying them against the staging app. */
export async function scenarioDir(sessions: Session[], scenario: Record<string, unknown> = {}): Promise<{ dir: string; scenarioPath: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'rehearsal-run-'));
  await writeRecording(join(dir, 'prod.tar'), sessions);
  const doc = {
    name: 'it',
    seed: 11,
    recordings: ['prod.tar'],
    target: {
      type: 'http',
      url: 'http://127.0.0.1:{{port}}',
      start: { command: `"${process.execPath}" "${STAGING_APP}"`, env: { PORT: '{{port}}', LLM_BASE_URL: '{{deps.llm}}' }, health: 'http://127.0.0.1:{{port}}/health', timeout: '20s' },
      request: { path: '/chat', body: { input: '{{input}}', session: '{{session}}' } },
      reply: { text: '/reply' },
      timeout: '10s',
    },
    dependencies: { llm: { kind: 'llm' } },
    load: { speed: 50, thinkTime: 'none' },
    outputs: { dir: 'runs/{name}-{time}', reporters: ['json'] },
    ...scenario,
  };
  const scenarioPath = join(dir, 'scenario.yaml');
  await writeFile(scenarioPath, stringify(doc));
  return { dir, scenarioPath };
}
