import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');

/** Imports `file` in a plain Node process (no vitest resolution) and returns typeof each export. */
async function exportsOf(file: string, names: string[]): Promise<Record<string, string>> {
  const script = `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(names)}.map((n) => [n, typeof m[n]]))));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
  return JSON.parse(stdout) as Record<string, string>;
}

// The published package ships compiled JavaScript (Node does not strip types under
// node_modules): compile the sources as `npm pack` would into a package-shaped folder
// (package.json + dist/) inside the checkout, so dependencies resolve as they would from the
// installed package, and load its entry points.
describe('the compiled package', () => {
  let pkg: string;
  let out: string;
  beforeAll(async () => {
    await mkdir(join(root, '.rehearsal-tmp'), { recursive: true });
    pkg = await mkdtemp(join(root, '.rehearsal-tmp', 'pkg-'));
    out = join(pkg, 'dist');
    await copyFile(join(root, 'package.json'), join(pkg, 'package.json'));
    await run(join(root, 'node_modules/.bin/tsc'), ['-p', join(root, 'tsconfig.build.json'), '--outDir', out], { cwd: root });
  }, 120_000);
  afterAll(async () => {
    await rm(pkg, { recursive: true, force: true });
  });

  it('exposes the library entry point', async () => {
    const names = ['openArchive', 'writeArchive', 'createAnonymizer', 'runScenario', 'reproduce', 'runDetectors', 'renderReports', 'startVirtualDeps', 'emitVitestTest'];
    const types = await exportsOf(join(out, 'index.js'), names);
    expect(types).toEqual(Object.fromEntries(names.map((n) => [n, 'function'])));
  });

  it('exposes the in-process recorder entry point', async () => {
    expect(await exportsOf(join(out, 'record/index.js'), ['createRecorder'])).toEqual({ createRecorder: 'function' });
  });

  it('runs the CLI from compiled code', async () => {
    const main = pathToFileURL(join(out, 'cli/main.js')).href;
    const script = `const { runCli } = await import(${JSON.stringify(main)}); process.exitCode = await runCli(['--version'], { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() });`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
