import { describe, expect, it } from 'vitest';
import { Finding, type FindingClass, type Severity } from '../../src/model/index.ts';
import { sortFindings } from '../../src/report/report-model.ts';
import { moreFindingsNote, worstFindings } from '../../src/report/worst-findings.ts';

let ids = 0;
function finding(instance: string, cls: FindingClass, severity: Severity, turn = 0): Finding {
  return Finding.parse({
    id: `f${++ids}`,
    class: cls,
    severity,
    runId: 'run-1',
    recordedSession: instance.split('~')[0] as string,
    sessionInstance: instance,
    turn,
    title: `${cls} in ${instance}`,
    evidence: { summary: 'x' },
    segment: {},
    repro: `rehearse repro runs/x ${instance}`,
  });
}

const key = (f: Finding) => `${f.severity} ${f.class} ${f.sessionInstance}`;

describe('worst findings', () => {
  // One noisy instance with six critical leakage findings, the other problems rarer and milder.
  const noisy = [0, 1, 2, 3, 4, 5].map((turn) => finding('a~c0', 'leakage', 'critical', turn));
  const all = sortFindings([
    ...noisy,
    finding('a~c0', 'cascade', 'high'),
    finding('b~c0', 'leakage', 'critical'),
    finding('c~c0', 'context_loss', 'high'),
    finding('d~c0', 'context_loss', 'high'),
    finding('e~c0', 'schema_drift', 'medium'),
    finding('f~c0', 'latency_collapse', 'low'),
  ]);

  it('shows every class first, from instances not listed yet, then one per instance, worst first', () => {
    expect(worstFindings(all, 5).map(key)).toEqual([
      'critical leakage a~c0',
      'high cascade a~c0',
      'high context_loss c~c0',
      'medium schema_drift e~c0',
      'low latency_collapse f~c0',
    ]);
    expect(worstFindings(all, 7).map(key)).toEqual([
      'critical leakage a~c0',
      'critical leakage b~c0',
      'high cascade a~c0',
      'high context_loss c~c0',
      'high context_loss d~c0',
      'medium schema_drift e~c0',
      'low latency_collapse f~c0',
    ]);
  });

  it('with less room than classes, keeps the worst classes; with more room than instances, fills by severity', () => {
    expect(worstFindings(all, 2).map((f) => f.class)).toEqual(['leakage', 'cascade']);
    const listed = worstFindings(all, 9);
    expect(listed.filter((f) => f.sessionInstance === 'a~c0')).toHaveLength(4);
    expect(worstFindings(all, 100)).toEqual(all);
  });

  it('says how many more there are and which classes are not listed', () => {
    expect(moreFindingsNote(all, worstFindings(all, 2))).toBe('… and 10 more (3 classes not listed: context_loss, schema_drift, latency_collapse)');
    expect(moreFindingsNote(all, worstFindings(all, 5))).toBe('… and 7 more');
    expect(moreFindingsNote(all, all)).toBe('');
  });
});
