/** Runs the real `rehearse` binary in a child process (for the archive commands' end-to-end tests). */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function rehearse(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [`${root}bin/rehearse.js`, ...args],
      { cwd, env: { ...process.env, PATH: `${root}node_modules/.bin:${process.env.PATH ?? ''}` }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}
