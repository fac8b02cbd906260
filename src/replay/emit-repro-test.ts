import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRekeyer } from '../anonymize/index.ts';
import { HarnessError } from '../errors.ts';
import type { Finding, Session, SessionVariant } from '../model/index.ts';
import { emitVitestTest } from '../repro/emit-test.ts';
import type { Scenario } from '../scenario/schema.ts';
import { seedKeyOf } from './instances.ts';

export interface EmitReproTestOptions {
  /** Where to write the test file. */
  file: string;
  /** `<module>` or `<module>#<export>` of the repro app factory (see docs/detectors.md). */
  app: string;
  scenario: Scenario;
  recorded: Session;
  clone: number;
  variant: SessionVariant;
  /** The instance id the test sends. */
  instance: string;
  /** The finding the test should assert (it fails while the defect is there). */
  finding?: Finding;
  cwd: string;
}

/**
 * Writes a vitest file replaying this instance in-process (msw answering the dependencies):
 * the recorded session re-keyed to the instance's identities, the same seed, seed key and
 * fault rules (none for a control instance).
 */
export async function emitReproTest(options: EmitReproTestOptions): Promise<string> {
  const file = resolve(options.cwd, options.file);
  const [moduleSpec = '', exportName] = options.app.split('#');
  if (moduleSpec === '') throw new HarnessError('USAGE', '--app needs a module path', { hint: '--app test/repro/my-app.ts#startApp' });
  const seedKey = seedKeyOf(options.recorded.id, options.clone);
  const session = createRekeyer(options.recorded.identities, seedKey).apply(options.recorded);
  const source = emitVitestTest({
    recording: options.scenario.recordings[0] ?? '',
    sessionId: options.recorded.id,
    session,
    instance: options.instance,
    seed: options.scenario.seed,
    seedKey,
    scenario: options.scenario,
    faults: options.variant === 'control' ? [] : options.scenario.faults,
    app: { module: importPath(file, resolve(options.cwd, moduleSpec), moduleSpec, options.cwd), ...(exportName ? { export: exportName } : {}) },
    ...(options.finding ? { finding: options.finding } : {}),
    ...runtimeFor(file),
  });
  await writeFile(file, source);
  return file;
}

/** A relative specifier from the test file to a local module (a path that exists); package names stay as given. */
function importPath(testFile: string, absolute: string, spec: string, cwd?: string): string {
  const local = spec.startsWith('.') || isAbsolute(spec) || (cwd !== undefined && existsSync(resolve(cwd, spec)));
  if (!local) return spec;
  const rel = relative(dirname(testFile), absolute);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** In a checkout, the msw runtime is imported from the sources; in the package, from `rehearsal/repro`. */
function runtimeFor(testFile: string): { runtime?: string } {
  const source = fileURLToPath(new URL('../repro/msw-replay.ts', import.meta.url));
  return existsSync(source) ? { runtime: importPath(testFile, source, source) } : {};
}
