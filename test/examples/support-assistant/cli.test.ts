import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';

const dir = fileURLToPath(new URL('../../../examples/support-assistant/', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function start(script: string, env: Record<string, string>): { child: ChildProcess; url: Promise<string>; exit: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [`${dir}${script}`], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exit.then((code) => reject(new Error(`${script} exited with ${code} before listening: ${stderr}`)));
  });
  url.catch(() => {}); // a test that expects an early exit never awaits the URL
  return { child, url, exit, stderr: () => stderr };
}

test('deps-main and main start on port 0, serve a turn, and exit 0 on SIGTERM', async () => {
  const deps = start('deps-main.ts', { PORT: '0', LATENCY_SCALE: '0' });
  const depsUrl = await deps.url;
  const app = start('main.ts', {
    PORT: '0',
    LLM_BASE_URL: depsUrl,
    TOOLS_BASE_URL: `${depsUrl}/tools`,
    RETRIEVAL_BASE_URL: `${depsUrl}/retrieval`,
    DEFECTS: 'history-truncation,schema-rename',
  });
  const appUrl = await app.url;
  expect(await (await fetch(`${appUrl}/health`)).json()).toEqual({ ok: true });
  const response = await fetch(`${appUrl}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ session_id: 'cli-1', message: 'I want a refund please' }),
  });
  expect((await response.json()).triage).toHaveProperty('priority');
  expect(app.stderr()).toContain('defects on: history-truncation, schema-rename');

  app.child.kill('SIGTERM');
  deps.child.kill('SIGINT');
  expect(await app.exit).toBe(0);
  expect(await deps.exit).toBe(0);
});

test('main rejects an unknown defect name and missing base URLs with exit code 2', async () => {
  const typo = start('main.ts', { PORT: '0', LLM_BASE_URL: 'http://127.0.0.1:9', TOOLS_BASE_URL: 'x', RETRIEVAL_BASE_URL: 'x', DEFECTS: 'retry-strom' });
  expect(await typo.exit).toBe(2);
  expect(typo.stderr()).toContain('unknown defect "retry-strom"');
  const missing = start('main.ts', { PORT: '0', LLM_BASE_URL: '', TOOLS_BASE_URL: '', RETRIEVAL_BASE_URL: '', DEFECTS: '' });
  expect(await missing.exit).toBe(2);
  expect(missing.stderr()).toContain('LLM_BASE_URL is not set');
});
