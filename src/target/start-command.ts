import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { request } from 'undici';
import { HarnessError } from '../errors.ts';
import { renderTemplate, type TemplateVars } from '../scenario/templates.ts';
import type { Target } from '../scenario/schema.ts';

export type StartConfig = NonNullable<Target['start']>;

/** A staging process rehearsal started (the target, or a dependency's), like Playwright's `webServer`. */
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

/** Where a started process's output, pid and errors go, and what it is called in messages. */
export interface ProcessSlot {
  /** Names the process in messages: `target`, `dependency llm`. */
  label: string;
  /** Output of the process is appended here. */
  logPath: string;
  /**
   * Holds the pid while the process runs, so `--resume` can stop a process a killed run left
   * behind; removed when it is stopped.
   */
  pidPath?: string;
  /** Values for `{{...}}` in `command`, `env` and `health`; `port` is added (a free port). */
  vars?: Omit<TemplateVars, 'port'>;
  /** Error code when the process does not become healthy (default `TARGET`). */
  errorCode?: 'TARGET' | 'DEPENDENCY';
  /** Scenario field named in the hint, e.g. `target.start` (default). */
  field?: string;
}

/**
 * Spawns `start.command` in a shell (its own process group), output appended to `logPath`,
 * and polls `start.health` until it answers 2xx. Fails with `HarnessError('TARGET')` when
 * the process exits first or health does not answer within `start.timeout`.
 */
export async function startTarget(start: StartConfig, deps: Readonly<Record<string, string>>, logPath: string, pidPath?: string): Promise<StartedProcess> {
  return startProcess(start, { label: 'target', logPath, vars: { deps }, ...(pidPath === undefined ? {} : { pidPath }) });
}

/**
 * Starts any process rehearsal runs for a scenario — the target, or a dependency's staging
 * process — the way `startTarget` describes: free `{{port}}`, own process group, output to
 * `slot.logPath`, pid file, health polled until 2xx. Fails with `HarnessError(slot.errorCode)`.
 */
export async function startProcess(start: StartConfig, slot: ProcessSlot): Promise<StartedProcess> {
  const { label, logPath, pidPath } = slot;
  if (pidPath) stopLeftover(pidPath);
  const port = await freePort();
  const vars: TemplateVars = { ...slot.vars, port };
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
      if (!stopping) exitCause = `${label} process exited (${signal ?? `code ${code}`}) during the run; see ${logPath}`;
      resolve();
    });
    child.once('error', (err) => {
      exitCause = `${label} process could not start: ${err.message}`;
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
      if (pidPath) rmSync(pidPath, { force: true });
      const field = slot.field ?? 'target.start';
      throw new HarnessError(slot.errorCode ?? 'TARGET', `${label} \`${command}\` did not become healthy: ${why}`, { hint: `see ${logPath}; check ${field}.command and ${field}.health` });
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
    // `reset`: no keep-alive socket left behind that the process would wait for when stopped.
    const res = await request(url, { signal: AbortSignal.timeout(2000), reset: true });
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

/** True while any process of the group led by `pid` is alive. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * SIGTERM to the group, SIGKILL to what is left of it after `graceMs`. Waits for the whole
 * group, not only the shell: a server it started may still be draining keep-alive sockets
 * when the shell is gone, and "stopped" must mean its port is free.
 */
async function kill(child: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  if (child.exitCode === null && child.signalCode === null) signalGroup(child, 'SIGTERM');
  else if (groupAlive(pid)) process.kill(-pid, 'SIGTERM');
  const deadline = performance.now() + graceMs;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  while (groupAlive(pid) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
  await exited;
}
