/**
 * Detectors: oracles that compare what the staging app did during a replay (the calls the
 * virtual dependencies observed, the replies) with what production did (the recording) and
 * with what each injected fault should change. The replayer and `rehearse report` call
 * `runDetectors` after a run; see docs/detectors.md.
 */
import { createHash } from 'node:crypto';
import { HarnessError } from '../errors.ts';
import type { RunData } from '../journal/journal-reader.ts';
import type { Finding, FindingClass, Session, Severity } from '../model/index.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { Detector, DetectorContext, DetectorName, FindingDraft } from './detector.ts';
import { noiseProbes } from './noise.ts';
import { DETECTOR_NAMES, DETECTORS } from './registry.ts';

export interface DetectionInput {
  run: RunData;
  /** Recorded sessions by id (the ones this run played). */
  recorded: ReadonlyMap<string, Session>;
  scenario: Scenario;
  /**
   * The `rehearse repro …` command for an instance. A finding that needs other instances
   * replayed alongside (a leak and its owner, `FindingDraft.reproWith`) gets `--with <instance>`
   * appended for each.
   */
  reproCommand(instance: string): string;
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/**
 * Runs every enabled detector over the run's `main` instances (control and baseline replays
 * are references, not subjects); findings sorted by severity, then instance, then turn.
 * Throws HarnessError('SCHEMA') when an instance replays a session missing from `recorded`.
 */
export function runDetectors(input: DetectionInput): Finding[] {
  const { run, scenario } = input;
  const context: DetectorContext = {
    run,
    scenario,
    control: (instance) => [...run.instances.values()].find((d) => d.start.variant === 'control' && d.start.shadowOf === instance),
    noise: noiseProbes(run),
  };
  const active: Array<[DetectorName, Detector]> = [];
  for (const name of DETECTOR_NAMES) {
    const options = scenario.detectors[name];
    if (!options.enabled) continue;
    active.push([name, (DETECTORS[name] as (c: DetectorContext, o: typeof options) => Detector)(context, options)]);
  }
  for (const [id, data] of run.instances) {
    if (data.start.variant !== 'main') continue;
    const recorded = input.recorded.get(data.start.recordedSession);
    if (!recorded) {
      throw new HarnessError('SCHEMA', `instance ${id} of run ${run.start.runId} replays recorded session ${data.start.recordedSession}, which is not in the recordings given`, {
        hint: `pass the recording(s) the run used: ${run.start.recordings.map((r) => r.path).join(', ') || '(see run-start in the journal)'}`,
      });
    }
    for (const [, detector] of active) detector.observe({ id, data, recorded });
  }
  const findings = active.flatMap(([name, detector]) => detector.finish().map((draft) => toFinding(name, draft, input)));
  return findings.sort(compareFindings);
}

function toFinding(cls: FindingClass, draft: FindingDraft, input: DetectionInput): Finding {
  const start = input.run.instances.get(draft.instance)?.start;
  return {
    id: findingId(cls, draft.instance, draft.turn, draft.key),
    class: cls,
    severity: draft.severity,
    title: draft.title,
    runId: input.run.start.runId,
    recordedSession: start?.recordedSession ?? '',
    sessionInstance: draft.instance,
    turn: draft.turn,
    segment: start?.segment ?? {},
    evidence: draft.evidence,
    repro: [input.reproCommand(draft.instance), ...(draft.reproWith ?? []).map((other) => `--with ${other}`)].join(' '),
  };
}

/** Stable across re-renders: a hash of class, instance, turn and the detector's key. */
export function findingId(cls: FindingClass, instance: string, turn: number | null, key: string): string {
  return createHash('sha256').update([cls, instance, turn ?? '-', key].join('\u0000')).digest('hex').slice(0, 16);
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    (a.sessionInstance < b.sessionInstance ? -1 : a.sessionInstance > b.sessionInstance ? 1 : 0) ||
    (a.turn ?? -1) - (b.turn ?? -1) ||
    DETECTOR_NAMES.indexOf(a.class as DetectorName) - DETECTOR_NAMES.indexOf(b.class as DetectorName) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export { failureRatesBySegment, type SegmentBreakdown, type SegmentRates } from './segments.ts';
export type { Detector, DetectorContext, FindingDraft, NoiseProbe, ObservedInstance } from './detector.ts';
export { DETECTORS } from './registry.ts';
