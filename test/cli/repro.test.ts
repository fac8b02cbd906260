import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupJournal, readJournal } from '../../src/journal/journal-reader.ts';
import { supportSession } from '../replay/recordings.ts';
import { scenarioDir } from '../replay/scenario-files.ts';

const REPO = join(import.meta.dirname, '..', '..');
const BIN = join(REPO, 'bin', 'rehearse.js');
const ENV = { ...process.env, PATH: `${join(REPO, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` };

function rehearse(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c));
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Per turn: the faults and answers the instance got, comparable across instance ids. */
async function callsOf(journalPath: string, instance: string) {
  const run = groupJournal(await readJournal(journalPath));
  const data = run.instances.get(instance);
  return { data, calls: data?.calls.map((c) => ({ turn: c.turn, faults: c.faults, status: c.response?.status ?? null, body: c.response?.body ?? null })) };
}

describe('rehearse repro (CLI)', () => {
  it('replays one instance of a run with the same identities, faults and answers, and prints the trace', async () => {
    const { dir, scenarioPath } = await scenarioDir([supportSession(1), supportSession(2)], {
      load: { speed: 50, thinkTime: 'none', clones: 2 },
      faults: [{ kind: 'http-error', dependency: 'llm', probability: 0.5, status: 502 }],
    });
    const run = await rehearse(['run', scenarioPath], dir);
    expect(run.code).toBe(0);
    const runDir = join(dir, 'runs', (await readdir(join(dir, 'runs')))[0] as string);
    const journal = groupJournal(await readJournal(join(runDir, 'journal.jsonl')));
    const instance = [...journal.instances.keys()].find((id) => id.endsWith('-s002-c1')) as string;

    const repro = await rehearse(['repro', runDir, instance], dir);
    expect([0, 1]).toContain(repro.code);
    expect(repro.stdout).toMatch(/instance r[0-9a-f]{6}-s002-c1 +\(recorded s002, clone 1, main, faulted\)/);
    expect(repro.stdout).toMatch(/turn 0 +status 200/);
    expect(repro.stdout).toContain('user  > Hi, my email is');
    expect(repro.stdout).toMatch(/call llm\/\S+ #0 +POST .*\/v1\/chat\/completions/);
    expect(repro.stdout).toMatch(/detectors: /);

    const reproDir = join(runDir, 'repro', (await readdir(join(runDir, 'repro')))[0] as string);
    const reproJournal = groupJournal(await readJournal(join(reproDir, 'journal.jsonl')));
    const reproInstance = [...reproJournal.instances.keys()][0] as string;
    const original = await callsOf(join(runDir, 'journal.jsonl'), instance);
    const again = await callsOf(join(reproDir, 'journal.jsonl'), reproInstance);
    expect(again.data?.start.canaries).toEqual(original.data?.start.canaries);
    expect(again.calls).toEqual(original.calls);
  });

  it("reproduces a reported session straight from a recording, with the scenario's faults or a rules file", async () => {
    const { dir, scenarioPath } = await scenarioDir([supportSession(1), supportSession(7)], { faults: [{ kind: 'http-error', dependency: 'llm', status: 503 }] });
    const emitted = join(dir, 'regression.test.ts');
    const faulted = await rehearse(['repro', '--recording', join(dir, 'prod.tar'), '--session', 's007', '--scenario', scenarioPath, '--emit-test', emitted, '--app', join(REPO, 'test/replay/repro-app.ts')], dir);
    expect(faulted.stdout).toContain('Sorry, something went wrong.');
    expect(faulted.stdout).toMatch(/faults: http-error#0/);
    // The emitted vitest file replays the same session with the same seed and rules, importing the app factory and msw runtime.
    const source = await readFile(emitted, 'utf8');
    expect(source).toContain('Reproduces recorded session s007');
    const imports = [...source.matchAll(/from "(\.[^"]+)"/g)].map((m) => resolve(dir, m[1] as string));
    expect(imports).toEqual([join(REPO, 'src/repro/msw-replay.ts'), join(REPO, 'test/replay/repro-app.ts')]);
    const rulesFile = join(dir, 'faults.yaml');
    await writeFile(rulesFile, '- kind: http-error\n  dependency: llm\n  turns: [2]\n  status: 500\n');
    const custom = await rehearse(['repro', '--recording', join(dir, 'prod.tar'), '--session', 's007', '--scenario', scenarioPath, '--faults', rulesFile], dir);
    // The file's rules replace the scenario's: turn 1 is answered as recorded, only turn 2 fails.
    expect(custom.stdout.split('turn 2')[0]).toContain('Order 1007 ships tomorrow.');
    expect(custom.stdout.split('turn 2')[1]).toContain('Sorry, something went wrong.');
    const missing = await rehearse(['repro', '--recording', join(dir, 'prod.tar'), '--session', 'nope', '--scenario', scenarioPath], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('session nope is not in');
  });

  it('explains what it needs when arguments are missing', async () => {
    const { dir } = await scenarioDir([supportSession(1)]);
    const res = await rehearse(['repro'], dir);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('rehearse repro needs <run-dir> <instance>');
  });
});
