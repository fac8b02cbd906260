/**
 * Derives a test copy of a bundled scenario (`scenarios/*.yaml`) in a temp dir: the same
 * target, dependencies, faults, detectors and gates, with absolute paths, a session sample,
 * and its own staging-model port so several copies can run at once.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';

export const REPO = resolve(import.meta.dirname, '..', '..');
/** The staging model's port the bundled scenarios use unless STAGING_MODEL_PORT says otherwise. */
const DEFAULT_MODEL_PORT = '18734';

export interface DerivedScenario {
  /** Path of the derived scenario file. */
  path: string;
  /** Environment the run needs (the staging model's port). */
  env: Record<string, string>;
}

export async function deriveScenario(name: string, dir: string, options: { sessions?: number; maxTurns?: number; modelPort: number; file?: string; dropLatencyGates?: boolean; edit?: (scenario: Record<string, unknown>) => void }): Promise<DerivedScenario> {
  const text = await readFile(join(REPO, 'scenarios', `${name}.yaml`), 'utf8');
  if (!text.includes(DEFAULT_MODEL_PORT)) throw new Error(`scenarios/${name}.yaml no longer uses staging model port ${DEFAULT_MODEL_PORT}; update derive-scenario.ts`);
  const scenario = parse(text.replaceAll(DEFAULT_MODEL_PORT, String(options.modelPort))) as Record<string, unknown> & { target: { start: { cwd: string; env: Record<string, string> } }; outputs: Record<string, unknown> };
  scenario.recordings = (scenario.recordings as string[]).map((r) => resolve(REPO, 'scenarios', r));
  scenario.target.start.cwd = REPO;
  scenario.target.start.env.STAGING_MODEL_PORT = String(options.modelPort);
  scenario.outputs = { ...scenario.outputs, dir: join(dir, 'runs', '{name}-{time}') };
  const select = { ...(scenario.select as object | undefined), ...(options.sessions === undefined ? {} : { sessions: options.sessions }), ...(options.maxTurns === undefined ? {} : { maxTurns: options.maxTurns }) };
  if (Object.keys(select).length > 0) scenario.select = select;
  // Latency gates measure this machine's load as much as the app: a test asserting them would
  // be a timing assertion, so tests may leave them out and keep every other gate.
  if (options.dropLatencyGates) scenario.gates = (scenario.gates as string[]).filter((g) => !/^\s*(?:p[\d.]+|avg|max)\(/.test(g));
  options.edit?.(scenario);
  const path = join(dir, options.file ?? `${name}.yaml`);
  await writeFile(path, stringify(scenario));
  return { path, env: { STAGING_MODEL_PORT: String(options.modelPort) } };
}
