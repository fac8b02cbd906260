import type { ErrorCode } from '../errors.ts';

/**
 * Exit statuses of `rehearse`, documented in README.md. Only the CLI maps errors to these;
 * library code throws `HarnessError` and returns results.
 */
export const ExitCode = {
  /** Everything ran and every gate / check passed. */
  OK: 0,
  /** The work ran but its verdict is negative: a gate failed, `verify` found a problem, `scan` found residue. */
  FAILED: 1,
  /** Bad arguments, or an invalid scenario / policy file. */
  USAGE: 2,
  /** A recording or file could not be read or written (corrupt, hostile, wrong schema, I/O). */
  DATA: 3,
  /** The environment refused: production guard, target would not start or answer, recorder could not bind. */
  ENVIRONMENT: 4,
  /** A bug in rehearsal: please report it with the output. */
  INTERNAL: 70,
  /** Stopped by SIGINT; partial results were written. */
  INTERRUPTED: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const byErrorCode: Record<ErrorCode, ExitCode> = {
  USAGE: ExitCode.USAGE,
  CONFIG: ExitCode.USAGE,
  ARCHIVE: ExitCode.DATA,
  SCHEMA: ExitCode.DATA,
  ANONYMIZE: ExitCode.DATA,
  IO: ExitCode.DATA,
  GUARD: ExitCode.ENVIRONMENT,
  TARGET: ExitCode.ENVIRONMENT,
  DEPENDENCY: ExitCode.ENVIRONMENT,
  RECORD: ExitCode.ENVIRONMENT,
  INTERNAL: ExitCode.INTERNAL,
};

export function exitCodeFor(code: ErrorCode): ExitCode {
  return byErrorCode[code];
}
