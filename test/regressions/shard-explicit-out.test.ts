import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { expect, it } from 'vitest';
import { runScenario } from '../../src/replay/index.ts';
import { supportSession } from '../replay/recordings.ts';
import { scenarioDir } from '../replay/scenario-files.ts';

// Regression: `--shard 2/3 --out runs/shard-2` wrote `runs/shard-2-shard-2-of-3`, so the
// directory a CI job asked for (and uploads) did not exist.
it('a shard run writes to --out exactly as given', async () => {
  const { scenarioPath, dir } = await scenarioDir(Array.from({ length: 6 }, (_, i) => supportSession(i + 1, 1)));
  const outDir = join(dir, 'runs', 'shard-2');
  const result = await runScenario({ scenarioPath, out: new PassThrough().resume(), err: new PassThrough().resume(), env: process.env, cwd: dir, shard: { index: 2, count: 3 }, outDir });
  expect(result.runDir).toBe(outDir);
  expect(existsSync(join(outDir, 'journal.jsonl'))).toBe(true);
});
