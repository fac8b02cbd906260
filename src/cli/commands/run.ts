import { InvalidArgumentError } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseShard, runScenario, type RunResult, type Shard } from '../../replay/index.ts';
import type { CliIo, CommandModule } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';

interface RunFlags {
  seed?: string;
  speed?: number;
  concurrency?: number;
  shard?: Shard;
  out?: string;
  dryRun?: boolean;
  resume?: string;
  baseline?: string;
}

const positive = (what: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${what} must be a positive number`);
  return n;
};
const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
};
const shardArg = (value: string): Shard => {
  const shard = parseShard(value);
  if (!shard) throw new InvalidArgumentError('use i/n with 1 ≤ i ≤ n, e.g. 2/4');
  return shard;
};

const command: CommandModule = {
  name: 'run',
  register(program, io, done) {
    program
      .command('run [scenario]')
      .description('Replay recorded sessions against staging as a scenario describes: concurrency, latency, failing dependencies, detectors, reports, gates')
      .option('--seed <n>', 'seed for every random choice (sampling, arrivals, faults, identities); overrides the scenario')
      .option('--speed <x>', 'time compression: 2 halves recorded offsets and think times', positive('--speed'))
      .option('--concurrency <n>', 'cap on session instances in flight', positiveInt)
      .option('--shard <i/n>', 'play shard i of n (stable split by recorded session id); each shard writes its own journal', shardArg)
      .option('-o, --out <dir>', 'run directory (default: outputs.dir of the scenario)')
      .option('--dry-run', 'print the plan (sessions, instances, schedule, faults) as JSON and send nothing')
      .option('--resume <run-dir>', 'continue an interrupted run: skip instances that ended, replay those cut short')
      .option('--baseline <run-dir>', 'compare the reports with an earlier run')
      .addHelpText(
        'after',
        `
Examples:
  rehearse run scenarios/nightly.yaml
  rehearse run scenarios/nightly.yaml --dry-run
  rehearse run scenarios/load.yaml --speed 4 --concurrency 200 --seed 7
  rehearse run scenarios/nightly.yaml --shard 2/4 --out runs/nightly-shard2
  rehearse run --resume runs/nightly-20260107-020000
  rehearse run scenarios/nightly.yaml --baseline runs/nightly-20260106-020000

Exit status: 0 gates passed, 1 a gate failed (after writing everything), 2 invalid
scenario, 4 guard refusal or target down, 130 interrupted (Ctrl-C: in-flight sessions
drain and reports are written; Ctrl-C again exits at once).`,
      )
      .action(async (scenario: string | undefined, flags: RunFlags) => {
        if (scenario === undefined && flags.resume === undefined) {
          program.error('rehearse run: give a scenario file, or --resume <run-dir>', { exitCode: ExitCode.USAGE });
        }
        const stop = new AbortController();
        const onSigint = () => {
          if (stop.signal.aborted) process.exit(ExitCode.INTERRUPTED);
          io.stderr.write('\nrehearse: stopping — no new sessions, draining in-flight ones, then writing reports (Ctrl-C again to exit now)\n');
          stop.abort(new Error('SIGINT'));
        };
        process.on('SIGINT', onSigint);
        let result: RunResult;
        try {
          result = await runScenario({
            scenarioPath: scenario ?? '',
            ...(flags.seed === undefined ? {} : { seed: flags.seed }),
            ...(flags.speed === undefined ? {} : { speed: flags.speed }),
            ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
            ...(flags.shard === undefined ? {} : { shard: flags.shard }),
            ...(flags.out === undefined ? {} : { outDir: flags.out }),
            ...(flags.resume === undefined ? {} : { resumeDir: resolve(io.cwd, flags.resume) }),
            ...(flags.baseline === undefined ? {} : { baselineDir: resolve(io.cwd, flags.baseline) }),
            dryRun: flags.dryRun ?? false,
            out: io.stdout,
            err: io.stderr,
            env: io.env,
            cwd: io.cwd,
            signal: stop.signal,
          });
        } finally {
          process.off('SIGINT', onSigint);
        }
        done(verdict(result, io));
      });
  },
};

function verdict(result: RunResult, io: CliIo): ExitCode {
  if (result.plan) return ExitCode.OK;
  if (result.interrupted) return ExitCode.INTERRUPTED;
  const failed = result.gates.filter((g) => !g.passed);
  for (const g of failed) io.stderr.write(`rehearse: gate failed: ${g.expression} (measured ${g.value ?? 'no data'})\n`);
  io.stderr.write(`rehearse: run written to ${result.runDir}\n`);
  const html = join(result.runDir, 'report.html');
  if (existsSync(html)) io.stderr.write(`rehearse: HTML report: ${html}\n`);
  return failed.length > 0 ? ExitCode.FAILED : ExitCode.OK;
}

export default command;
