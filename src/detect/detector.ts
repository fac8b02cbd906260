import type { InstanceData, RunData } from '../journal/journal-reader.ts';
import type { FindingClass, Session, Severity } from '../model/index.ts';
import type { DetectorsConfig, Scenario } from '../scenario/schema.ts';

/**
 * The detector seam. A detector is created once per run with its options, is shown every
 * session instance that was played (`observe`), and returns what it noticed on `finish`.
 * Detectors are pure: they read journal data and recordings, never the network or files, so
 * `rehearse report` can re-run them on an old journal and get the same findings.
 */
export interface Detector {
  observe(instance: ObservedInstance): void;
  finish(): FindingDraft[];
}

/** One played session instance with the recording it replays. */
export interface ObservedInstance {
  readonly id: string;
  readonly data: InstanceData;
  readonly recorded: Session;
}

/** What a detector reports; the runner adds the id, run, session, segment and repro command. */
export interface FindingDraft {
  instance: string;
  turn: number | null;
  severity: Severity;
  /** Distinguishes findings of one class on one turn; part of the stable finding id. */
  key: string;
  /** One line a human reads first. */
  title: string;
  evidence: { summary: string } & Record<string, unknown>;
  /** Other instances the finding needs replayed alongside to reproduce (a leak needs its owner): `--with` of the repro command. */
  reproWith?: readonly string[];
}

/** Answers "does this vary between two clean replays of the session?" for any measure. */
export interface NoiseProbe {
  /** True when `measure` gives different values (deep-compared) across the session's clean replays. */
  varies(measure: (instance: InstanceData) => unknown): boolean;
}

/** Run-wide facts every detector may consult. */
export interface DetectorContext {
  readonly run: RunData;
  readonly scenario: Scenario;
  /** The fault-free `control` instance shadowing `instance`, when the run played one. */
  control(instance: string): InstanceData | undefined;
  /** Noise measured on the `baseline` replays of a recorded session (never varies without them). */
  noise(recordedSession: string): NoiseProbe;
}

export type DetectorName = keyof DetectorsConfig & FindingClass;

/** Builds a detector from its (defaulted) options. */
export type DetectorFactory<N extends DetectorName> = (context: DetectorContext, options: DetectorsConfig[N]) => Detector;
