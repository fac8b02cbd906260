/**
 * CONTRACT STUB — the replayer helper replaces this body; `rehearse run` calls it.
 */
import { HarnessError } from '../errors.ts';
import type { GateResult } from '../report/index.ts';
import type { Finding } from '../model/index.ts';

export interface RunOptions {
  scenarioPath: string;
  seed?: string;
  speed?: number;
  concurrency?: number;
  shard?: { index: number; count: number };
  outDir?: string;
  dryRun?: boolean;
  resumeDir?: string;
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborting stops new sessions, drains in-flight ones and still writes reports. */
  signal?: AbortSignal;
}

export interface RunResult {
  runDir: string;
  runId: string;
  findings: Finding[];
  gates: GateResult[];
  interrupted: boolean;
}

export async function runScenario(_options: RunOptions): Promise<RunResult> {
  throw new HarnessError('INTERNAL', 'replayer not implemented yet');
}
