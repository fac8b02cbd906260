/**
 * Runs a replay of real demo recordings against the real demo app, the way `rehearse run`
 * does: a scenario file in a temp dir, the app started as a child process (`main.ts`) with
 * the chosen defect switches, its dependency base URLs pointed at rehearsal's virtual
 * dependencies. Returns the findings, the grouped journal and the parsed `report.json`.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { stringify } from 'yaml';
import type { DefectName } from '../../../examples/support-assistant/defects.ts';
import { groupJournal, readJournal, type RunData } from '../../../src/journal/journal-reader.ts';
import type { Finding, FindingClass, Session } from '../../../src/model/index.ts';
import { ReportJsonSchema, type ReportJson } from '../../../src/report/index.ts';
import { runScenario } from '../../../src/replay/index.ts';
import type { ReporterName, ScenarioInput } from '../../../src/scenario/schema.ts';
import { writeRecording } from '../../replay/recordings.ts';

const DEMO_MAIN = join(import.meta.dirname, '..', '..', '..', 'examples', 'support-assistant', 'main.ts');

/** A temp dir holding `prod.tar` with the given sessions; scenarios of one test share it. */
export async function recordingDir(sessions: Session[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rehearsal-e2e-'));
  await writeRecording(join(dir, 'prod.tar'), sessions);
  return dir;
}

export interface DemoRunOptions {
  /** Defect switches of the started app (`DEFECTS`); empty runs the fixed app. */
  defects: readonly DefectName[];
  seed?: number;
  /** Defaults: llm, tools and retrieval all replayed from the recording. */
  dependencies?: ScenarioInput['dependencies'];
  faults?: ScenarioInput['faults'];
  /** Defaults: every session at once, speed 50, no think time. */
  load?: ScenarioInput['load'];
  select?: ScenarioInput['select'];
  assertions?: ScenarioInput['assertions'];
  detectors?: ScenarioInput['detectors'];
  gates?: string[];
  /** Default: json only. */
  reporters?: ReporterName[];
}

export interface DemoRun {
  runDir: string;
  findings: Finding[];
  run: RunData;
  report: ReportJson;
  /** Findings of one class. */
  of(cls: FindingClass): Finding[];
}

let runs = 0;

/** Writes `<name>.yaml` next to `prod.tar` in `dir`: the demo app replayed as `options` say. */
export async function writeDemoScenario(dir: string, options: DemoRunOptions): Promise<{ name: string; scenarioPath: string }> {
  const name = `e2e-${++runs}-${options.defects.join('+') || 'fixed'}`;
  const scenario: ScenarioInput = {
    name,
    seed: options.seed ?? 7,
    recordings: ['prod.tar'],
    ...(options.select ? { select: options.select } : {}),
    target: {
      type: 'http',
      url: 'http://127.0.0.1:{{port}}',
      start: {
        command: `"${process.execPath}" "${DEMO_MAIN}"`,
        env: {
          PORT: '{{port}}',
          LLM_BASE_URL: '{{deps.llm}}',
          TOOLS_BASE_URL: '{{deps.tools}}',
          RETRIEVAL_BASE_URL: '{{deps.retrieval}}',
          DEFECTS: options.defects.join(',') || 'none',
        },
        health: 'http://127.0.0.1:{{port}}/health',
        timeout: '20s',
      },
      // The recordings were made through /api/chat (non-streamed model answers).
      request: { path: '/api/chat', body: { session_id: '{{session}}', message: '{{input}}' } },
      reply: { text: '/reply', structured: '/triage' },
      timeout: '15s',
    },
    dependencies: options.dependencies ?? { llm: { kind: 'llm' }, tools: { kind: 'tool' }, retrieval: { kind: 'retrieval' } },
    faults: options.faults ?? [],
    load: options.load ?? { speed: 50, thinkTime: 'none' },
    assertions: options.assertions ?? [],
    ...(options.detectors ? { detectors: options.detectors } : {}),
    gates: options.gates ?? [],
    outputs: { dir: `runs/${name}`, reporters: options.reporters ?? ['json'] },
  };
  const scenarioPath = join(dir, `${name}.yaml`);
  await mkdir(join(dir, 'runs'), { recursive: true });
  await writeFile(scenarioPath, stringify(scenario));
  return { name, scenarioPath };
}

/** Runs the scenario in-process (`runScenario`, what `rehearse run` calls) and reads back what it wrote. */
export async function runDemo(dir: string, options: DemoRunOptions): Promise<DemoRun> {
  const { name, scenarioPath } = await writeDemoScenario(dir, options);
  const err = new PassThrough();
  const errText: string[] = [];
  err.on('data', (chunk: Buffer) => errText.push(chunk.toString('utf8')));
  const result = await runScenario({ scenarioPath, out: new PassThrough().resume(), err, env: process.env, cwd: dir });
  const run = groupJournal(await readJournal(join(result.runDir, 'journal.jsonl')));
  for (const data of run.instances.values()) {
    if (data.end?.status !== 'completed') {
      const log = await readFile(join(result.runDir, 'target.log'), 'utf8').catch(() => '(no target.log)');
      throw new Error(`instance ${data.start.instance} of ${name} ended ${data.end?.status ?? 'unfinished'}: ${data.end?.error ?? ''}\n${errText.join('')}\n${log}`);
    }
  }
  const report = ReportJsonSchema.parse(JSON.parse(await readFile(join(result.runDir, 'report.json'), 'utf8')));
  return { runDir: result.runDir, findings: result.findings, run, report, of: (cls) => result.findings.filter((f) => f.class === cls) };
}

/** The instance ids of the run's main instances, in instance order. */
export function mainInstances(run: RunData): string[] {
  return [...run.instances.values()].filter((d) => d.start.variant === 'main').map((d) => d.start.instance);
}

/** A finding's evidence in the detector-specific shape a test reads (the assertions check it). */
export function evidenceOf<T>(finding: Pick<Finding, 'evidence'> | undefined): T {
  return (finding?.evidence ?? {}) as unknown as T;
}
