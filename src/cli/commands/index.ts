import type { CommandModule } from '../command.ts';
import pack from './pack.ts';
import unpack from './unpack.ts';
import inspect from './inspect.ts';
import verify from './verify.ts';
import redact from './redact.ts';
import anonymize from './anonymize.ts';
import scan from './scan.ts';
import record from './record.ts';
import importCmd from './import.ts';
import run from './run.ts';
import repro from './repro.ts';
import find from './find.ts';
import report from './report.ts';
import mergeReports from './merge-reports.ts';

/** Every sub-command, in the order `rehearse --help` lists them. */
export const commands: readonly CommandModule[] = [
  run,
  repro,
  find,
  report,
  mergeReports,
  record,
  importCmd,
  anonymize,
  redact,
  scan,
  inspect,
  verify,
  pack,
  unpack,
];
