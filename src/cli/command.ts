import type { Command } from 'commander';
import { HarnessError } from '../errors.ts';
import type { ExitCode } from './exit-codes.ts';

/** Where a command writes; injectable so end-to-end tests can capture output in-process too. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * One `rehearse` sub-command. `register` adds it to the program; its action sets the
 * exit status through `done(code)` (commander actions cannot return values) or throws a
 * HarnessError, which `main` maps to an exit code.
 */
export interface CommandModule {
  name: string;
  register(program: Command, io: CliIo, done: (code: ExitCode) => void): void;
}

/** For bad arguments that commander cannot check itself. */
export function usageError(message: string, hint?: string): HarnessError {
  return new HarnessError('USAGE', message, hint === undefined ? {} : { hint });
}
