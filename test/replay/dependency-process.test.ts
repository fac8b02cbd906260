import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors.ts';
import { groupJournal, readJournal } from '../../src/journal/journal-reader.ts';
import { runScenario, type RunOptions } from '../../src/replay/index.ts';
import { supportSession } from './recordings.ts';
import { scenarioDir } from './scenario-files.ts';

const UPSTREAM_MODEL = join(import.meta.dirname, 'upstream-model.ts');

/** `dependencies.llm`: proxy mode to a model process rehearsal starts on a port of its own. */
function llmWithProcess(env: Record<string, string> = {}, timeout = '10s'): Record<string, unknown> {
  return {
    llm: {
      kind: 'llm',
      mode: 'proxy',
      upstream: 'http://127.0.0.1:{{port}}',
      start: { command: `"${process.execPath}" "${UPSTREAM_MODEL}"`, env: { PORT: '{{port}}', ...env }, health: 'http://127.0.0.1:{{port}}/health', timeout },
    },
  };
}

function options(scenarioPath: string, err: NodeJS.WritableStream = new PassThrough().resume()): RunOptions {
  return { scenarioPath, out: new PassThrough().resume(), err, env: process.env, cwd: process.cwd() };
}

/** The pid the model process printed into its log. */
async function pidIn(log: string): Promise<number> {
  const match = /pid (\d+)/.exec(await readFile(log, 'utf8'));
  if (!match) throw new Error(`no pid in ${log}`);
  return Number(match[1]);
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('dependency processes (dependencies.<name>.start)', () => {
  it('starts the dependency before the target on a free port, proxies to it, logs it and stops it at the end', async () => {
    const { scenarioPath } = await scenarioDir([supportSession(1, 2)], { dependencies: llmWithProcess() });
    const result = await runScenario(options(scenarioPath));
    const run = groupJournal(await readJournal(join(result.runDir, 'journal.jsonl')));
    const data = [...run.instances.values()][0];
    const upstreams = data?.calls.map((c) => (c.match.mode === 'proxy' ? c.match.upstream : c.match.mode)) ?? [];
    expect(upstreams).toHaveLength(2);
    // `{{port}}` in upstream is the port picked for the process, the same one it answered on.
    const port = Number(/^http:\/\/127\.0\.0\.1:(\d+)$/.exec(upstreams[0] ?? '')?.[1]);
    expect(upstreams).toEqual([`http://127.0.0.1:${port}`, `http://127.0.0.1:${port}`]);
    expect(data?.turns.map((t) => t.reply.text)).toEqual([`from the started model on port ${port}`, `from the started model on port ${port}`]);
    // The resolved scenario keeps the template: a repro picks a fresh port.
    const resolved = JSON.parse(await readFile(join(result.runDir, 'scenario.resolved.json'), 'utf8')) as { dependencies: { llm: { upstream: string } } };
    expect(resolved.dependencies.llm.upstream).toBe('http://127.0.0.1:{{port}}');
    const log = join(result.runDir, 'dep-llm.log');
    expect(running(await pidIn(log))).toBe(false);
    expect(existsSync(join(result.runDir, 'dep-llm.pid'))).toBe(false);
  });

  it('finishes the run when the dependency process dies mid-run, failing its calls, and says so at the end', async () => {
    const { scenarioPath } = await scenarioDir([supportSession(1, 2)], { dependencies: llmWithProcess({ EXIT_AFTER: '1' }) });
    const err = new PassThrough();
    let stderr = '';
    err.on('data', (c: Buffer) => (stderr += c.toString()));
    const result = await runScenario(options(scenarioPath, err));
    const run = groupJournal(await readJournal(join(result.runDir, 'journal.jsonl')));
    const data = [...run.instances.values()][0];
    expect(data?.turns.map((t) => t.reply.text)).toEqual([expect.stringContaining('from the started model'), 'Sorry, something went wrong.']);
    expect(stderr).toContain(`rehearse: dependency llm process exited (code 4) during the run; see ${join(result.runDir, 'dep-llm.log')}`);
  });

  it('stops the dependency process when the target then fails to start', async () => {
    const { scenarioPath, dir } = await scenarioDir([supportSession(1, 1)], {
      dependencies: llmWithProcess(),
      target: { type: 'http', url: 'http://127.0.0.1:{{port}}', start: { command: 'echo no app here; exit 3', health: 'http://127.0.0.1:{{port}}/health', timeout: '10s' }, reply: { text: '/reply' } },
    });
    const err = await runScenario(options(scenarioPath)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as HarnessError).code).toBe('TARGET');
    const runDir = await onlyRunDir(dir);
    expect(running(await pidIn(join(runDir, 'dep-llm.log')))).toBe(false);
    expect(existsSync(join(runDir, 'dep-llm.pid'))).toBe(false);
  });

  it('fails with DEPENDENCY naming the dependency and its log when its process never gets healthy, before starting the target', async () => {
    const { scenarioPath, dir } = await scenarioDir([supportSession(1, 1)], { dependencies: llmWithProcess({ HEALTH: 'never' }, '1s') });
    const err = await runScenario(options(scenarioPath)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as HarnessError).code).toBe('DEPENDENCY');
    expect((err as HarnessError).message).toMatch(/^dependency llm `.*upstream-model\.ts"` did not become healthy: health http:\/\/127\.0\.0\.1:\d+\/health did not answer 2xx/);
    expect((err as HarnessError).hint).toContain('dependencies.llm.start.health');
    const runDir = await onlyRunDir(dir);
    expect(existsSync(join(runDir, 'target.log'))).toBe(false);
    expect(running(await pidIn(join(runDir, 'dep-llm.log')))).toBe(false);
  });

  it('refuses {{port}} in an upstream without a start, and {{deps.*}} in a dependency', async () => {
    const { scenarioPath } = await scenarioDir([supportSession(1, 1)], {
      dependencies: { llm: { kind: 'llm', mode: 'proxy', upstream: 'http://127.0.0.1:{{port}}' }, tools: { start: { command: 'true', env: { X: '{{deps.llm}}' }, health: 'http://127.0.0.1:{{port}}/' } } },
    });
    const err = await runScenario(options(scenarioPath)).catch((e: unknown) => e);
    expect((err as HarnessError).code).toBe('CONFIG');
    expect((err as HarnessError).message).toContain('dependencies.llm.upstream: template {{port}} used without dependencies.llm.start (');
    expect((err as HarnessError).message).toContain('add dependencies.llm.start');
    expect((err as HarnessError).message).toContain('dependencies.tools.start.env.X: template {{deps.llm}} cannot be used in a dependency');
  });
});

async function onlyRunDir(dir: string): Promise<string> {
  const runs = await readdir(join(dir, 'runs'));
  expect(runs).toHaveLength(1);
  return join(dir, 'runs', runs[0] as string);
}
