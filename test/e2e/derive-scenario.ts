/**
 * Derives a test copy of a bundled scenario (`scenarios/*.yaml`) in a temp dir: the same
 * target, dependencies (their processes on ports rehearsal picks, so several copies can run at
 * once), faults, detectors and gates, with absolute paths and a session sample.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';

export const REPO = resolve(import.meta.dirname, '..', '..');

interface StartSection {
  cwd?: string;
}

export interface DerivedScenario {
  /** Path of the derived scenario file. */
  path: string;
}

export async function deriveScenario(name: string, dir: string, options: { sessions?: number; maxTurns?: number; file?: string; dropLatencyGates?: boolean; edit?: (scenario: Record<string, unknown>) => void }): Promise<DerivedScenario> {
  const text = await readFile(join(REPO, 'scenarios', `${name}.yaml`), 'utf8');
  const scenario = parse(text) as Record<string, unknown> & { target: { start?: StartSection }; dependencies?: Record<string, { start?: StartSection }>; outputs: Record<string, unknown> };
  scenario.recordings = (scenario.recordings as string[]).map((r) => resolve(REPO, 'scenarios', r));
  // Relative `cwd`s resolve against the scenario file, which now lives in the temp dir.
  for (const start of [scenario.target.start, ...Object.values(scenario.dependencies ?? {}).map((d) => d.start)]) {
    if (start) start.cwd = resolve(REPO, 'scenarios', start.cwd ?? '.');
  }
  scenario.outputs = { ...scenario.outputs, dir: join(dir, 'runs', '{name}-{time}') };
  const select = { ...(scenario.select as object | undefined), ...(options.sessions === undefined ? {} : { sessions: options.sessions }), ...(options.maxTurns === undefined ? {} : { maxTurns: options.maxTurns }) };
  if (Object.keys(select).length > 0) scenario.select = select;
  // Latency gates measure this machine's load as much as the app: a test asserting them would
  // be a timing assertion, so tests may leave them out and keep every other gate.
  if (options.dropLatencyGates) scenario.gates = (scenario.gates as string[]).filter((g) => !/^\s*(?:p[\d.]+|avg|max)\(/.test(g));
  options.edit?.(scenario);
  const path = join(dir, options.file ?? `${name}.yaml`);
  await writeFile(path, stringify(scenario));
  return { path };
}
