import { expect } from 'vitest';
import type { DemoRun } from './demo-run.ts';

/**
 * `report.json` in the run dir lists every finding of the run, each with
 * `{class, severity, runId, recordedSession, sessionInstance, turn, evidence, repro}` filled
 * in for the run and instance it names, and the repro command pointing at this run (with the
 * owner of a leak).
 */
export function expectReportListsFindings({ report, findings, run, runDir }: DemoRun): void {
  expect(report.findings.map((f) => f.id).sort()).toEqual(findings.map((f) => f.id).sort());
  for (const f of report.findings) {
    const instance = run.instances.get(f.sessionInstance);
    expect(instance, `finding ${f.id} names instance ${f.sessionInstance}`).toBeDefined();
    expect(f).toMatchObject({
      runId: run.start.runId,
      recordedSession: instance?.start.recordedSession,
      // A leak's repro replays its owner alongside.
      repro: `rehearse repro ${runDir} ${f.sessionInstance}${f.class === 'leakage' ? ` --with ${String(f.evidence.owner)}` : ''}`,
    });
    expect(typeof f.class).toBe('string');
    expect(['critical', 'high', 'medium', 'low']).toContain(f.severity);
    expect(f.turn === null || Number.isInteger(f.turn)).toBe(true);
    expect(f.evidence.summary.length).toBeGreaterThan(0);
  }
}
