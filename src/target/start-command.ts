import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { request } from 'undici';
import { HarnessError } from '../errors.ts';
import { renderTemplate, type TemplateVars } from '../scenario/templates.ts';
import type { Target } from '../scenario/schema.ts';

export type StartConfig = NonNullable<Target['start']>;

/** The staging process rehearsal started, like Playwright's `webServer`. */
export interface StartedProcess {
  port: number;
  /** Set once the process exited on its own: the cause turns report. */
  deadCause(): string | undefined;
  /** SIGTERM to its process group, SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** A free loopback port (bound then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new HarnessError('INTERNAL', 'could not pick a free port');
  return address.port;
}

/**
 * Spawns `start.command` in a shell (its own process group), output appended to `logPath`,
 * and polls `start.health` until it answers 2xx. Fails with `HarnessError('TARGET')` when
 * the process exits first or health does not answer within `start.timeout`.
 */
export async function startTarget(start: StartConfig, deps: Readonly<Record<string, string>>, logPath: string, pidPath?: string): Promise<StartedProcess> {
  if (pidPath) stopLeftover(pidPath);
  const port = await freePort();
  const vars: TemplateVars = { port, deps };
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(start.env)) env[k] = renderTemplate(v, vars);
  const log = createWriteStream(logPath, { flags: 'a' });
  const command = renderTemplate(start.command, vars);
  const child = spawn(command, { shell: true, cwd: start.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (pidPath && child.pid !== undefined) writeFileSync(pidPath, JSON.stringify({ pid: child.pid, command }));
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  let stopping = false;
  let exitCause: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      if (!stopping) exitCause = `target process exited (${signal ?? `code ${code}`}) during the run; see ${logPath}`;
      resolve();
    });
    child.once('error', (err) => {
      exitCause = `target process could not start: ${err.message}`;
      resolve();
    });
  });

  const healthUrl = renderTemplate(start.health, vars);
  const deadline = performance.now() + start.timeout;
  while (!(await healthy(healthUrl))) {
    if (exitCause !== undefined || performance.now() > deadline) {
      stopping = true;
      const why = exitCause ?? `health ${healthUrl} did not answer 2xx within ${start.timeout} ms`;
      await kill(child, exited, 2000);
      log.end();
      throw new HarnessError('TARGET', `target \`${command}\` did not become healthy: ${why}`, { hint: `see ${logPath}; check target.start.command and target.start.health` });
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  // `process.exit` (a second Ctrl-C) skips every async cleanup: stop the group synchronously then.
  const onExit = () => signalGroup(child, 'SIGTERM');
  process.once('exit', onExit);
  return {
    port,
    deadCause: () => exitCause,
    async stop(graceMs = 5000) {
      stopping = true;
      process.off('exit', onExit);
      await kill(child, exited, graceMs);
      log.end();
      if (pidPath) rmSync(pidPath, { force: true });
    },
  };
}

/**
 * A run killed with SIGKILL cannot stop the process it started. Its pid file stays in the run
 * directory, so `--resume` stops that leftover process group first — only if the pid still runs
 * the recorded command (Linux /proc), never a recycled pid.
 */
function stopLeftover(pidPath: string): void {
  if (!existsSync(pidPath)) return;
  try {
    const { pid, command } = JSON.parse(readFileSync(pidPath, 'utf8')) as { pid: number; command: string };
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    if (cmdline.includes(command)) process.kill(-pid, 'SIGTERM');
  } catch {
    // Gone already, or not ours: nothing to stop.
  }
  rmSync(pidPath, { force: true });
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await request(url, { signal: AbortSignal.timeout(2000) });
    await res.body.dump();
    return res.statusCode >= 200 && res.statusCode < 300;
  } catch {
    return false;
  }
}

/** Signals the child's whole process group (the shell and what it started). */
function signalGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, sig);
  } catch {
    child.kill(sig);
  }
}

async function kill(child: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  signalGroup(child, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      signalGroup(child, 'SIGKILL');
      resolve();
    }, graceMs);
  });
  await Promise.race([exited, killed]);
  clearTimeout(timer);
  await exited;
}
