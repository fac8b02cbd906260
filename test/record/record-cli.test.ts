import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../src/archive/index.ts';
import { CUSTOMER_EMAIL, SECRET_API_KEY, startApp, startLlm, startRetrieval, startTools, type AppOptions, type Running } from './fixture-app.ts';
import { TEST_KEY } from './test-anonymizer.ts';

const ROOT = resolve(import.meta.dirname, '../..');

describe('rehearse record (child process)', () => {
  let dir: string;
  let llm: Running, tools: Running, retrieval: Running, app: Running;
  const appOptions: AppOptions = { deps: { llm: '', tools: '', retrieval: '' }, propagate: true };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rehearsal-record-cli-'));
    [llm, tools, retrieval, app] = await Promise.all([startLlm(5), startTools(), startRetrieval(), startApp(appOptions)]);
  });
  afterAll(async () => {
    await Promise.all([llm, tools, retrieval, app].map((s) => s?.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('records through the proxy and finishes a clean archive on SIGTERM', async () => {
    const keyFile = join(dir, 'anon.key');
    await writeFile(keyFile, TEST_KEY.toString('hex'));
    const out = join(dir, 'prod.tar.gz');
    const child = spawn(
      process.execPath,
      [
        'bin/rehearse.js', 'record', '--listen', '127.0.0.1:0', '--upstream', app.url,
        '--dep', `llm=${llm.url}`, '--dep', `tools=${tools.url}`, '--dep', `retrieval=${retrieval.url}`,
        '--session-from', 'json:session_id', '--input-from', 'json:/message', '--reply-from', 'json:/reply',
        '--key-file', keyFile, '--out', out, '--idle-timeout', '10m',
      ],
      { cwd: ROOT, env: { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}` }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const url = await new Promise<string>((resolveUrl, reject) => {
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        const m = /listening on (http:\/\/[\d.:]+)/.exec(stderr);
        if (m) resolveUrl(m[1] as string);
      });
      void exited.then((code) => reject(new Error(`record exited early (${code}): ${stderr}`)));
    });
    appOptions.deps = { llm: `${url}/_deps/llm`, tools: `${url}/_deps/tools`, retrieval: `${url}/_deps/retrieval` };
    for (const [session, message] of [['cli-a', `hi, I am ${CUSTOMER_EMAIL}`], ['cli-b', 'where is order Z9?'], ['cli-a', 'thanks']]) {
      const res = await fetch(`${url}/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session_id: session, message }) });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout.trim()).toBe(out);
    expect(stderr).toMatch(/recorded 2 sessions \(3 turns, 7 exchanges\)/);

    const reader = await openArchive(out);
    expect(reader.manifest.counts).toEqual({ sessions: 2, turns: 3, exchanges: 7 });
    const bytes = gunzipSync(await readFile(out)).toString('latin1');
    for (const raw of [SECRET_API_KEY, CUSTOMER_EMAIL, 'cli-a', 'cli-b']) expect(bytes).not.toContain(raw);
  });
});
