import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportJsonSchema } from '../../src/report/index.ts';
import { customerWithOrder, recordAnonymized } from './e2e/demo-recording.ts';
import { recordingDir, writeDemoScenario, type DemoRunOptions } from './e2e/demo-run.ts';
import { rehearse } from './e2e/rehearse-cli.ts';

// The nightly job, end to end through the real CLI: `rehearse run` against the demo app with
// a gate, then the repro command printed in report.json, run as it is written.

const customer = customerWithOrder(11);
const INPUTS = [`Hi, I'm ${customer.name}, my email is ${customer.email} and my order is ${customer.orderId}`, 'ok', 'and do you ship to Canada?', 'thanks', 'what did I say my email was?'];

let dir: string;
beforeAll(async () => {
  dir = await recordingDir([await recordAnonymized('nightly-1', INPUTS)]);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const nightly = (defects: DemoRunOptions['defects']): DemoRunOptions => ({ defects, gates: ['context_loss == 0', 'leakage == 0'], reporters: ['json', 'junit'] });

describe('rehearse run + repro against the demo app (child processes)', () => {
  it('history-truncation on: exit 1 on the gate, report.json lists the findings, and the repro command reproduces them', async () => {
    const { scenarioPath } = await writeDemoScenario(dir, nightly(['history-truncation']));
    const run = await rehearse(dir, ['run', scenarioPath]);
    expect(run.stderr).toContain('rehearse: gate failed: context_loss == 0 (measured 2)');
    expect(run.code, run.stderr).toBe(1);
    const runDir = /run written to (.+)\n/.exec(run.stderr)?.[1] as string;
    expect(existsSync(join(runDir, 'junit.xml'))).toBe(true);
    const report = ReportJsonSchema.parse(JSON.parse(await readFile(join(runDir, 'report.json'), 'utf8')));
    expect(report.passed).toBe(false);
    expect(report.findings.map((f) => [f.class, f.turn])).toEqual([
      ['context_loss', 3],
      ['context_loss', 4],
    ]);

    // The one-command reproduction, exactly as the report prints it.
    const [command, ...args] = (report.findings[0]?.repro ?? '').split(' ');
    expect(command).toBe('rehearse');
    const repro = await rehearse(dir, args);
    expect(repro.code, repro.stderr).toBe(1);
    expect(repro.stdout + repro.stderr).toMatch(/context_loss/);
  });

  it('history-truncation off: exit 0, the gates pass', async () => {
    const { scenarioPath } = await writeDemoScenario(dir, nightly([]));
    const run = await rehearse(dir, ['run', scenarioPath]);
    expect(run.code, run.stderr).toBe(0);
    const runDir = /run written to (.+)\n/.exec(run.stderr)?.[1] as string;
    const report = ReportJsonSchema.parse(JSON.parse(await readFile(join(runDir, 'report.json'), 'utf8')));
    expect(report).toMatchObject({ passed: true, findings: [] });
  });
});
