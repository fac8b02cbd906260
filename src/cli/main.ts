import { Command, CommanderError } from 'commander';
import { errorMessage, isHarnessError } from '../errors.ts';
import type { CliIo, CommandModule } from './command.ts';
import { ExitCode, exitCodeFor } from './exit-codes.ts';
import { commands } from './commands/index.ts';
// Same relative path from src/cli and from the compiled dist/cli.
import pkg from '../../package.json' with { type: 'json' };

const VERSION: string = pkg.version;

/**
 * Runs `rehearse` with `argv` (without node and script) and resolves to the exit status.
 * Never calls process.exit itself, so tests can run it in-process.
 */
export async function runCli(argv: string[], io: CliIo): Promise<ExitCode> {
  let status: ExitCode = ExitCode.OK;
  const program = new Command('rehearse')
    .description('Record anonymized AI sessions in production; replay them against staging with concurrency, latency and failing dependencies.')
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  program.addHelpText('after', EXIT_CODE_HELP);
  const done = (code: ExitCode) => {
    status = code;
  };
  for (const mod of commands as readonly CommandModule[]) mod.register(program, io, done);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return status;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version "fail" with exitCode 0 by design.
      return err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    reportError(err, io);
    return isHarnessError(err) ? exitCodeFor(err.code) : ExitCode.INTERNAL;
  }
}

function reportError(err: unknown, io: CliIo): void {
  if (isHarnessError(err)) {
    io.stderr.write(`rehearse: ${err.message}\n`);
    if (err.hint) io.stderr.write(`  hint: ${err.hint}\n`);
    if (err.cause !== undefined && io.env.REHEARSAL_DEBUG) io.stderr.write(`  cause: ${errorMessage(err.cause)}\n`);
    return;
  }
  io.stderr.write(`rehearse: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  io.stderr.write('  hint: this is a bug in rehearsal; please report it with the command you ran.\n');
}


const EXIT_CODE_HELP = `
Exit codes:
  0    success: everything ran and every gate / check passed
  1    verdict negative: a gate failed, verify found a problem, scan found residue
  2    usage: bad arguments, invalid scenario or policy file
  3    data: a recording or file is unreadable, corrupt, hostile or of the wrong schema
  4    environment: production guard refusal, target or dependency unreachable
  70   internal error (a bug)
  130  interrupted (SIGINT); partial results were written
`;

/** Runs `rehearse` on this process's arguments and streams, setting `process.exitCode`. */
export async function runFromProcess(): Promise<void> {
  // `rehearse inspect x | head` closes our stdout early: that is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  });
}

if (import.meta.main) await runFromProcess();
