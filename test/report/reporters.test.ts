import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupJournal } from '../../src/journal/journal-reader.ts';
import { builtinReporters, renderReports, reportJsonSchema, ReportJsonSchema } from '../../src/report/index.ts';
import { buildJournal } from './journal-fixture.ts';

const HOSTILE = 'evil </script><img src=x onerror=alert(1)> | `tick` \u0007bell ]]> & "q"';

const run = () =>
  groupJournal(
    buildJournal({
      scenario: 'nightly',
      gates: ['leakage == 0', 'p95(turn_ms) < 4000'],
      instances: [
        { instance: 'a~c0', segment: { language: 'en', channel: 'web' }, latencies: [100, 200], ttft: [10, 20] },
        { instance: 'b~c0', segment: { language: 'de', channel: 'web' }, latencies: [300, 400, 500], findings: [{ class: 'leakage', turn: 1, severity: 'critical', title: HOSTILE }, { class: 'cascade', turn: 2 }] },
        { instance: 'c~c0', segment: { language: 'de', channel: 'app' }, latencies: [700], status: 'aborted' },
      ],
    }),
  );

function sink(isTTY = false) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString()));
  return { stream, text: () => text };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rehearsal-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('renderReports', () => {
  it('writes every reporter, evaluates gates and keeps recorded text escaped', async () => {
    const out = sink();
    const result = await renderReports(run(), { runDir: dir, reporters: ['console', 'json', 'junit', 'markdown', 'html'], gates: ['leakage == 0', 'p95(turn_ms) < 4000'], out: out.stream });
    expect(result.reporterErrors).toEqual([]);
    expect(result.gates.map((g) => g.passed)).toEqual([false, true]);
    expect(result.passed).toBe(false);
    expect(Object.keys(result.files).sort()).toEqual(['html', 'json', 'junit', 'markdown']);

    const console = out.text();
    expect(console).not.toMatch(/\u001b\[/);
    expect(console).toContain('✗ FAIL');
    expect(console).toContain('rehearse repro runs/x b~c0');
    expect(console).not.toContain('\u0007');

    const json = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    expect(ReportJsonSchema.parse(json).findings[0]?.class).toBe('leakage');
    expect(json.sessions).toHaveLength(3);
    expect(json.summary.findings.byClass.cascade).toBe(1);

    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).not.toContain('</script><img');
    expect(html).not.toMatch(/<(script|link)[^>]+src=/i);
    expect(html).toContain('uPlot');
  });

  it('writes JUnit XML that parses: one case per session, failures carrying findings, gates as cases', async () => {
    await renderReports(run(), { runDir: dir, reporters: ['junit'], gates: ['leakage == 0'], out: sink().stream });
    const xml = await readFile(join(dir, 'junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(xml);
    const [sessions, gates] = doc.testsuites.testsuite;
    expect(doc.testsuites['@tests']).toBe('4');
    expect(sessions.testcase).toHaveLength(3);
    const b = sessions.testcase.find((c: Record<string, string>) => c['@name']?.startsWith('b~c0'));
    expect(b['@classname']).toBe('nightly.language=de.channel=web.turns=2-3');
    expect(b.failure['@type']).toBe('leakage,cascade');
    expect(b.failure['@message']).toContain('</script>');
    expect(b.failure['#text']).toContain('repro: rehearse repro runs/x b~c0');
    const c = sessions.testcase.find((t: Record<string, string>) => t['@name']?.startsWith('c~c0'));
    expect(c.error['@type']).toBe('aborted');
    expect(gates.testcase[0].failure['@type']).toBe('gate');
  });

  it('writes Markdown for a step summary with escaped recorded text', async () => {
    await renderReports(run(), { runDir: dir, reporters: ['markdown'], gates: ['leakage == 0'], out: sink().stream });
    const md = await readFile(join(dir, 'summary.md'), 'utf8');
    expect(md).toMatch(/^## rehearsal · nightly · ❌ failed/);
    expect(md).toContain('| ❌ | `leakage == 0` | 1 |');
    expect(md).toContain('\\<img src=x onerror=alert\\(1\\)\\>');
    expect(md).toContain('| language=de | 2 |');
    expect(md).toContain('rehearse repro runs/x b~c0');
  });

  it('isolates a failing reporter: the others still write, the error is reported', async () => {
    const broken = { ...builtinReporters, html: { onRunEnd: () => { throw new Error('template exploded'); } } };
    const result = await renderReports(run(), { runDir: dir, reporters: ['html', 'json', 'junit'], gates: [], out: sink().stream }, broken);
    expect(result.reporterErrors).toEqual([{ reporter: 'html', message: 'template exploded' }]);
    expect(Object.keys(result.files).sort()).toEqual(['json', 'junit']);
    expect(result.passed).toBe(true);
  });

  it('compares with a baseline run: new and fixed findings, per-segment changes', async () => {
    const baseDir = await mkdtemp(join(tmpdir(), 'rehearsal-baseline-'));
    const { writeFile } = await import('node:fs/promises');
    const baseline = buildJournal({
      runId: 'run-0',
      instances: [
        { instance: 'a~c0', segment: { language: 'en', channel: 'web' }, latencies: [100, 150], findings: [{ class: 'context_loss', turn: 1 }] },
        { instance: 'b~c0', segment: { language: 'de', channel: 'web' }, latencies: [300, 300, 300], findings: [{ class: 'cascade', turn: 2 }] },
      ],
    });
    await writeFile(join(baseDir, 'journal.jsonl'), baseline.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const result = await renderReports(run(), { runDir: dir, reporters: ['json'], gates: [], out: sink().stream, baselineDir: baseDir });
    expect(result.comparison?.newFindings.map((f) => f.class)).toEqual(['leakage']);
    expect(result.comparison?.fixedFindings.map((f) => f.class)).toEqual(['context_loss']);
    const de = result.comparison?.segments.find((s) => s.key === 'language' && s.value === 'de');
    expect(de?.failureRate).toEqual({ before: 1, after: 1 });
    await rm(baseDir, { recursive: true, force: true });
  });

  it('publishes a JSON Schema for report.json', () => {
    const schema = reportJsonSchema();
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties as object)).toContain('summary');
  });
});
