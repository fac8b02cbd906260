import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { groupJournal } from '../../src/journal/journal-reader.ts';
import { renderReports } from '../../src/report/index.ts';
import type { HtmlData } from '../../src/report/reporters/html/html-data.ts';
import { chooseTimelines, MAX_TIMELINE_TURNS } from '../../src/report/reporters/html/timeline-budget.ts';
import { launchChromium, openReport } from './html-browser.ts';
import { bigJournalSpec, buildJournal } from './journal-fixture.ts';

describe('report.html timeline budget', () => {
  it('keeps sessions with findings first (most severe first), then failed ones, then the rest in order', () => {
    const rows = [
      { instance: 'a', status: 'completed', turns: 4 },
      { instance: 'b', status: 'failed', turns: 4 },
      { instance: 'c', status: 'completed', turns: 4 },
      { instance: 'd', status: 'completed', turns: 4 },
      { instance: 'e', status: 'completed', turns: 1 },
    ];
    const findings = [
      { sessionInstance: 'c', severity: 'medium' as const },
      { sessionInstance: 'd', severity: 'critical' as const },
    ];
    expect([...chooseTimelines(rows, findings, 8)]).toEqual(['d', 'c']);
    expect([...chooseTimelines(rows, findings, 12)]).toEqual(['d', 'c', 'b']);
    // A session that does not fit whole is skipped; a smaller one further down still fits.
    expect([...chooseTimelines(rows, findings, 13)]).toEqual(['d', 'c', 'b', 'e']);
    expect(chooseTimelines(rows, findings).size).toBe(5);
  });

  it('a run too big for one page embeds the timelines of every session with findings and says what it left out', async () => {
    // ~3 turns per session on average: well past the page's budget of turns.
    const spec = bigJournalSpec(Math.ceil((MAX_TIMELINE_TURNS * 1.2) / 3));
    const events = buildJournal(spec);
    const runDir = await mkdtemp(join(tmpdir(), 'rehearsal-html-budget-'));
    const browser = await launchChromium();
    try {
      const result = await renderReports(groupJournal(events), { runDir, reporters: ['html'], gates: [], out: new PassThrough().resume() });
      expect(result.reporterErrors).toEqual([]);
      const html = await readFile(result.files.html as string, 'utf8');
      const json = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1] as string;
      const data = JSON.parse(json) as HtmlData;
      const withFindings = new Set(data.findings.map((f) => f.sessionInstance));
      expect(withFindings.size).toBeGreaterThan(0);
      const embeddedTurns = data.sessions.reduce((n, s) => n + (s.timeline?.length ?? 0), 0);
      expect(embeddedTurns).toBeLessThanOrEqual(MAX_TIMELINE_TURNS);
      expect(data.timelinesOmitted).toBe(data.sessions.filter((s) => s.timeline === null).length);
      expect(data.timelinesOmitted).toBeGreaterThan(0);
      for (const s of data.sessions) if (withFindings.has(s.instance)) expect(s.timeline).not.toBeNull();

      const omitted = data.sessions.find((s) => s.timeline === null)?.instance as string;
      const { page, errors } = await openReport(browser, result.files.html as string);
      await page.getByText(`Turn-by-turn timelines of ${data.timelinesOmitted} sessions are left out`).waitFor();
      await page.evaluate((id) => (location.hash = `#session=${encodeURIComponent(id)}`), omitted);
      await page.getByText("This session's timeline is not embedded").waitFor();
      expect(await page.locator('#session-view article.turn').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await rm(runDir, { recursive: true, force: true });
    }
  }, 60_000);
});
