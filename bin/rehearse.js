#!/usr/bin/env node
// Runs the TypeScript sources directly with Node's type stripping (Node >= 22.18).
import { runCli } from '../src/cli/main.ts';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
