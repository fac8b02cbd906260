/**
 * CONTRACT STUB — the detectors helper replaces this body; the replayer and `rehearse report`
 * call it after a run. Keep the signature (extend, don't break).
 */
import type { RunData } from '../journal/journal-reader.ts';
import type { Finding, Session } from '../model/index.ts';
import type { Scenario } from '../scenario/schema.ts';

export interface DetectionInput {
  run: RunData;
  /** Recorded sessions by id (the ones this run played). */
  recorded: ReadonlyMap<string, Session>;
  scenario: Scenario;
  /** The `rehearse repro …` command for an instance. */
  reproCommand(instance: string): string;
}

/** Runs every enabled detector; findings sorted by severity, then instance, then turn. */
export function runDetectors(_input: DetectionInput): Finding[] {
  return [];
}
