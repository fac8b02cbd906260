import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { HarnessError } from '../../errors.ts';
import { emitReproTest } from '../../replay/emit-repro-test.ts';
import { loadRecordings } from '../../replay/recordings.ts';
import { loadRun, loadRunInstance, reproduce } from '../../replay/repro.ts';
import { reproduceTogether } from '../../replay/repro-together.ts';
import { formatTogetherTrace, formatTogetherVerdict } from '../../replay/trace-together.ts';
import { formatTrace } from '../../replay/trace.ts';
import { loadScenario } from '../../scenario/load.ts';
import { FaultRule, type Scenario } from '../../scenario/schema.ts';
import { usageError, type CliIo, type CommandModule } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';

interface ReproFlags {
  recording?: string;
  session?: string;
  scenario?: string;
  faults?: string;
  seed?: string;
  clone?: string;
  emitTest?: string;
  app?: string;
  with: string[];
  repeat?: string;
}

const command: CommandModule = {
  name: 'repro',
  register(program, io, done) {
    program
      .command('repro [run-dir] [instance]')
      .description('Replay one session instance exactly (same seed, identities, faults and dependency answers) and print a turn-by-turn trace')
      .option('--recording <archive>', 'reproduce a session straight from a recording (no run directory)')
      .option('--session <id>', 'with --recording: the recorded session id (see `rehearse find`)')
      .option('--scenario <file>', 'with --recording: scenario giving the target and dependencies')
      .option('--faults <none|recorded|file>', "with --recording: the scenario's fault rules (default), none, recorded (answers as recorded, no injected faults), or a YAML file of rules")
      .option('--seed <n>', "with --recording: seed (default: the scenario's)")
      .option('--clone <n>', 'with --recording: which clone to reproduce (its identities)', '0')
      .option('--with <instance>', 'replay this other instance of the run together with <instance>, at the run\'s relative send times (a leak and its owner); repeatable', (value: string, previous: string[]) => [...previous, value], [] as string[])
      .option('--repeat <n>', 'with --with: try up to n times until the original findings come back (each try a fresh app process)', '1')
      .option('--emit-test <file>', 'also write a vitest file replaying this session in-process with msw (needs --app)')
      .option('--app <module[#export]>', 'with --emit-test: module exporting the repro app factory (default export name startApp)')
      .addHelpText(
        'after',
        `
Examples:
  rehearse repro runs/nightly-20260107-020000 r3f9a1c-s0007-c1
  rehearse repro --recording recordings/prod.tar.gz --session s0007 --scenario scenarios/nightly.yaml
  rehearse repro --recording recordings/prod.tar.gz --session s0007 --scenario scenarios/nightly.yaml --faults none
  rehearse repro runs/nightly-20260107-020000 r3f9a1c-s0007-c1 --with r3f9a1c-s0012-c0
  rehearse repro runs/nightly-20260107-020000 r3f9a1c-s0007-c1 --with r3f9a1c-s0012-c0 --repeat 3
  rehearse repro runs/nightly-20260107-020000 r3f9a1c-s0007-c1 --emit-test test/regressions/s0007.test.ts --app test/repro/app.ts

A leakage finding's command carries --with <owner>: a leak needs both sessions interleaved,
so they are replayed together, each turn at its original send time relative to the earliest
(never before the instance's previous reply) and the dependency answers in the run's order
across them, and the trace says whether the finding came back
— exactly, or reversed (the other session reached the shared state first: still the same two
sessions crossing). --repeat <n> retries, each time in a fresh app, until it comes back exactly.

The repro writes its own journal under <run-dir>/repro/ (or ./repro/ with --recording).
Exit status: 0 no findings, 1 the detectors still find something.`,
      )
      .action(async (runDir: string | undefined, instance: string | undefined, flags: ReproFlags) => {
        if (flags.emitTest !== undefined && flags.app === undefined) throw usageError('--emit-test needs --app <module[#export]>', 'the module exports the repro app factory, see docs/detectors.md');
        const together = flags.with.length > 0;
        if (together && flags.emitTest !== undefined) {
          throw usageError('--emit-test cannot be combined with --with', 'the emitted test replays one session in-process; a leak needs two sessions interleaved in one app, so keep the `rehearse repro … --with …` command as the reproduction');
        }
        if (!together && flags.repeat !== '1') throw usageError('--repeat needs --with <instance>', 'one instance replayed alone is not timing-dependent; --repeat retries instances replayed together');
        let findingsCount: number;
        if (together) {
          if (flags.recording !== undefined || runDir === undefined || instance === undefined) throw usageError('--with needs <run-dir> <instance>: it replays instances of a finished run together');
          findingsCount = await fromRunTogether(resolve(io.cwd, runDir), instance, flags, io);
        } else if (flags.recording !== undefined) {
          if (runDir !== undefined) throw usageError('give either <run-dir> <instance> or --recording, not both');
          findingsCount = await fromRecording(flags, io);
        } else {
          if (runDir === undefined || instance === undefined) throw usageError('rehearse repro needs <run-dir> <instance>, or --recording <archive> --session <id> --scenario <file>', 'the repro command of a finding is in the report');
          const dir = resolve(io.cwd, runDir);
          const original = await loadRunInstance(dir, instance);
          const result = await reproduce({ scenario: original.scenario, recorded: original.recorded, clone: original.data.start.clone, variant: original.data.start.variant, outDir: join(dir, 'repro') });
          io.stdout.write(formatTrace(result.data, result.findings, original.run.findings.filter((f) => f.sessionInstance === instance)));
          io.stderr.write(`rehearse: repro journal in ${result.runDir}\n`);
          findingsCount = result.findings.length;
          if (flags.emitTest !== undefined) {
            const finding = original.run.findings.find((f) => f.sessionInstance === instance) ?? result.findings[0];
            const file = await emitReproTest({
              file: flags.emitTest,
              app: flags.app as string,
              scenario: original.scenario,
              recorded: original.recorded,
              clone: original.data.start.clone,
              variant: original.data.start.variant,
              instance,
              ...(finding ? { finding } : {}),
              cwd: io.cwd,
            });
            io.stderr.write(`rehearse: wrote ${file}\n`);
          }
        }
        done(findingsCount > 0 ? ExitCode.FAILED : ExitCode.OK);
      });
  },
};

async function fromRunTogether(dir: string, instance: string, flags: ReproFlags, io: CliIo): Promise<number> {
  const repeat = Number(flags.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw usageError(`--repeat ${flags.repeat} is not a positive whole number`, '--repeat 3 tries up to three times');
  const result = await reproduceTogether({
    loaded: await loadRun(dir),
    instance,
    with: flags.with,
    outDir: join(dir, 'repro'),
    repeat,
    onAttempt: (a) => io.stderr.write(`rehearse: attempt ${a.attempt}: repro journal in ${a.replay.runDir}\n`),
  });
  const last = result.attempts[result.attempts.length - 1];
  for (const a of result.attempts) {
    if (a === last) io.stdout.write(`${result.attempts.length > 1 ? `\nattempt ${a.attempt} of up to ${repeat}\n` : ''}${formatTogetherTrace(a)}`);
    else io.stdout.write(`attempt ${a.attempt} of up to ${repeat}: ${a.reproduced ? 'reproduced reversed' : 'not reproduced'} (${a.replay.findings.length} finding${a.replay.findings.length === 1 ? '' : 's'}), journal in ${a.replay.runDir}\n`);
  }
  io.stdout.write(formatTogetherVerdict(result, repeat));
  return last?.replay.findings.length ?? 0;
}

async function fromRecording(flags: ReproFlags, io: CliIo): Promise<number> {
  const cwd = io.cwd;
  if (flags.session === undefined) throw usageError('--recording needs --session <id>', 'map a production id to its recorded pseudonym with `rehearse find`');
  if (flags.scenario === undefined) throw usageError('--recording needs --scenario <file> to know the target and dependencies');
  const clone = Number(flags.clone ?? '0');
  if (!Number.isInteger(clone) || clone < 0) throw usageError('--clone must be a non-negative integer');
  const { scenario: loaded } = await loadScenario(flags.scenario, { cwd, ...(flags.seed === undefined ? {} : { seed: flags.seed }) });
  const scenario: Scenario = { ...loaded, recordings: [resolve(cwd, flags.recording as string)], faults: await faultsFor(flags.faults, loaded, cwd) };
  const { sessions } = await loadRecordings(scenario.recordings);
  const recorded = sessions.find((s) => s.id === flags.session);
  if (!recorded) throw new HarnessError('USAGE', `session ${flags.session} is not in ${flags.recording}`, { hint: 'list sessions with `rehearse inspect`, or map a production id with `rehearse find`' });
  const result = await reproduce({ scenario, recorded, clone, variant: 'main', outDir: resolve(cwd, 'repro') });
  io.stdout.write(formatTrace(result.data, result.findings));
  if (flags.emitTest !== undefined) {
    const finding = result.findings[0];
    const file = await emitReproTest({ file: flags.emitTest, app: flags.app as string, scenario, recorded, clone, variant: 'main', instance: result.instance, ...(finding ? { finding } : {}), cwd });
    io.stderr.write(`rehearse: wrote ${file}\n`);
  }
  return result.findings.length;
}

async function faultsFor(option: string | undefined, scenario: Scenario, cwd: string): Promise<Scenario['faults']> {
  if (option === undefined) return scenario.faults;
  if (option === 'none' || option === 'recorded') return [];
  const path = resolve(cwd, option);
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(path, 'utf8'));
  } catch (err) {
    throw new HarnessError('CONFIG', `cannot read fault rules from ${path}`, { cause: err, hint: '--faults takes none, recorded, or a YAML file holding a list of fault rules' });
  }
  const parsed = z.array(FaultRule).safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new HarnessError('CONFIG', `${path}: ${first ? `${first.path.join('.')}: ${first.message}` : 'invalid fault rules'}`, { hint: 'the file holds a YAML list like the `faults:` of a scenario' });
  }
  return parsed.data;
}

export default command;
