/**
 * The one error type rehearsal throws on purpose. Every failure a user can act on carries a
 * stable `code` (the CLI maps codes to exit statuses, see `cli/exit-codes.ts`), a message that
 * names the concrete thing (file + entry, method + URL, session + turn) and a `hint` that says
 * how to fix it.
 */
export type ErrorCode =
  | 'USAGE' // bad command-line arguments
  | 'CONFIG' // scenario / policy file invalid
  | 'ARCHIVE' // recording archive unreadable, hostile or corrupt
  | 'SCHEMA' // a recording entry does not match the format
  | 'ANONYMIZE' // anonymization failed or key missing
  | 'GUARD' // production guard refused a target or upstream
  | 'TARGET' // staging target failed to start or answer
  | 'DEPENDENCY' // virtual dependency could not answer
  | 'RECORD' // recorder failure
  | 'IO' // filesystem failure
  | 'INTERNAL';

export interface HarnessErrorOptions {
  hint?: string;
  cause?: unknown;
}

export class HarnessError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: HarnessErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HarnessError';
    this.code = code;
    this.hint = options.hint;
  }
}

export function isHarnessError(err: unknown): err is HarnessError {
  return err instanceof HarnessError;
}

/** The message of any thrown value, for evidence and logs. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
