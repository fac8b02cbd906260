import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors.ts';
import { loadScenario } from '../../src/scenario/load.ts';

async function scenarioFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rehearsal-scenario-'));
  const path = join(dir, 'nightly.yaml');
  await writeFile(path, text);
  return path;
}

async function configError(path: string): Promise<HarnessError> {
  const err = await loadScenario(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HarnessError);
  expect((err as HarnessError).code).toBe('CONFIG');
  return err as HarnessError;
}

const VALID = `name: nightly
recordings: [../recordings/prod.tar.gz]
target:
  type: http
  url: http://127.0.0.1:{{port}}
  start:
    command: node app.js --port {{port}}
    health: http://127.0.0.1:{{port}}/health
    env: { LLM_BASE_URL: '{{deps.llm}}' }
  request:
    path: /chat/{{session}}?q={{input}}
    headers: { x-turn: '{{turn}}' }
    body: { message: '{{input}}' }
  reply: { text: /reply }
dependencies:
  llm: {}
load: { speed: 2, thinkTime: 250ms }
`;

describe('loadScenario', () => {
  it('validates, applies defaults and resolves relative paths against the scenario file', async () => {
    const path = await scenarioFile(VALID);
    const { scenario } = await loadScenario(path);
    expect(scenario.recordings[0]).toBe(join(path, '..', '..', 'recordings', 'prod.tar.gz'));
    expect(scenario.outputs.dir).toBe(join(path, '..', 'runs', '{name}-{time}'));
    expect(scenario.load).toMatchObject({ speed: 2, thinkTime: 250, clones: 1, model: 'recorded' });
    expect(scenario.target.start?.cwd).toBe(join(path, '..'));
  });

  it('applies command-line overrides after validation', async () => {
    const path = await scenarioFile(VALID);
    const { scenario } = await loadScenario(path, { seed: '42', speed: 8, concurrency: 3, outDir: 'out/x', cwd: '/work' });
    expect(scenario.seed).toBe('42');
    expect(scenario.load).toMatchObject({ speed: 8, concurrency: 3 });
    expect(scenario.outputs.dir).toBe('/work/out/x');
  });

  it('reports every problem at once with file:line:col, path and hint', async () => {
    const path = await scenarioFile(`name: nightly
recordings: []
target:
  type: http
  url: http://127.0.0.1:8080
  reply: { txt: /reply }
load:
  speed: fast
  model: bursty
colour: blue
`);
    const err = await configError(path);
    expect(err.message).toContain(`${path}:2:13  recordings:`);
    expect(err.message).toMatch(new RegExp(`${path}:6:12  target\\.reply\\.txt: unknown field "txt"`));
    expect(err.message).toMatch(new RegExp(`${path}:6:10  target\\.reply\\.text: .*this field is required`));
    expect(err.message).toMatch(new RegExp(`${path}:8:10  load\\.speed: .*expected number`));
    expect(err.message).toMatch(new RegExp(`${path}:9:10  load\\.model: .*one of: "recorded", "poisson", "closed"`));
    expect(err.message).toMatch(new RegExp(`${path}:10:1  colour: unknown field "colour"`));
    expect(err.message).toContain('has 6 problems');
  });

  it('reports YAML syntax errors with their position', async () => {
    const path = await scenarioFile('name: nightly\ntarget: [unclosed\n');
    const err = await configError(path);
    expect(err.message).toMatch(new RegExp(`${path}:\\d+:\\d+  \\(yaml\\)`));
  });

  it('rejects unknown templates, undeclared dependencies and {{port}} without start', async () => {
    const path = await scenarioFile(`name: nightly
recordings: [r.tar]
target:
  type: http
  url: http://127.0.0.1:{{port}}
  request:
    path: /chat/{{sesion}}
    headers: { x-llm: '{{deps.model}}' }
  reply: { text: /reply }
dependencies: { llm: {} }
`);
    const err = await configError(path);
    expect(err.message).toMatch(/:5:8  target\.url: template \{\{port\}\} used without target\.start/);
    expect(err.message).toMatch(/:7:11  target\.request\.path: unknown template \{\{sesion\}\}/);
    expect(err.message).toMatch(/target\.request\.headers\.x-llm: template \{\{deps\.model\}\} names dependency "model".*declared dependencies: llm/);
  });

  it('names the file when it cannot be read', async () => {
    const err = await configError('/nonexistent/scenario.yaml');
    expect(err.message).toContain('/nonexistent/scenario.yaml');
  });
});
