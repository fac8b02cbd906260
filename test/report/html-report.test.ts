import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupJournal } from '../../src/journal/journal-reader.ts';
import { renderReports } from '../../src/report/index.ts';
import { recordingDir, runDemo, type DemoRun } from '../detect/e2e/demo-run.ts';
import { recordShardedDemoSessions } from './demo-sessions.ts';
import { inkedPixels, launchChromium, openReport, screenshotVariance } from './html-browser.ts';
import { bigJournalSpec, buildJournal } from './journal-fixture.ts';

/**
 * report.html in a real Chromium, opened from disk. The main report comes from a real replay:
 * demo recordings played against the demo app with `history-truncation` on, which loses the
 * customer's first turn and yields context_loss findings. A second report, from a synthetic
 * journal, carries hostile finding text the real app never produces.
 */
let dir: string;
let browser: Browser;
let demo: DemoRun;

beforeAll(async () => {
  dir = await recordingDir(await recordShardedDemoSessions(2));
  demo = await runDemo(dir, { defects: ['history-truncation'], reporters: ['json', 'html'], gates: ['context_loss == 0', 'p95(turn_ms) < 10s'] });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('report.html of a real run, in Chromium', () => {
  it('renders the overview offline: gates, findings and both uPlot charts drawn', async () => {
    expect(demo.of('context_loss').length).toBeGreaterThan(0);
    const { page, errors, requests } = await openReport(browser, join(demo.runDir, 'report.html'));
    await page.locator('#chart-histogram canvas').first().waitFor();
    await page.locator('#chart-over-time canvas').first().waitFor();
    expect(await page.locator('table.gates tr').count()).toBe(3);
    expect(await page.locator('table.gates .fail').count()).toBe(1);
    expect(await page.locator('table.gates tr', { hasText: 'p95(turn_ms)' }).textContent()).toMatch(/\d m?s$/);
    // The verdict label is readable: white text on the red pill (an earlier CSS painted it red on red).
    const verdict = page.locator('header .verdict');
    expect(await verdict.textContent()).toBe('gates failed');
    expect(await verdict.evaluate((e) => getComputedStyle(e).color)).toBe('rgb(255, 255, 255)');
    expect(await page.locator('li.finding').count()).toBe(demo.findings.length);
    expect(await inkedPixels(page, '#chart-histogram')).toBeGreaterThan(500);
    expect(await inkedPixels(page, '#chart-over-time')).toBeGreaterThan(500);
    const png = await page.screenshot({ path: join(dir, 'overview.png'), fullPage: true });
    expect(await screenshotVariance(page, png)).toBeGreaterThan(100);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.context().close();
  });

  it("opens a finding's session view: timeline of its turns, the finding's turn marked, the repro command", async () => {
    const { page, errors } = await openReport(browser, join(demo.runDir, 'report.html'));
    const first = demo.report.findings[0];
    await page.locator('li.finding a.session-link').first().click();
    const view = page.locator('#session-view');
    await view.waitFor();
    expect(await page.locator('#main').isHidden()).toBe(true);
    expect(await view.locator('.repro').textContent()).toBe(first?.repro);
    expect(await view.locator('.repro').isVisible()).toBe(true);
    const turns = view.locator('article.turn');
    expect(await turns.count()).toBe(5);
    expect(await turns.first().isVisible()).toBe(true);
    expect(await view.locator('article.turn.has-finding').count()).toBe(demo.findings.filter((f) => f.sessionInstance === first?.sessionInstance).length);
    expect(await view.locator('.bar').count()).toBeGreaterThan(0);
    const png = await page.screenshot({ path: join(dir, 'session.png'), fullPage: true });
    expect(await screenshotVariance(page, png)).toBeGreaterThan(100);
    await page.locator('a.back').click();
    await page.locator('#main').waitFor({ state: 'visible' });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('report.html with hostile recorded text', () => {
  it('shows untrusted finding text as text and runs none of it', async () => {
    const spec = bigJournalSpec(20);
    spec.instances[1]!.findings = [{ class: 'leakage', turn: 0, severity: 'critical', title: 'reply carries <b>another</b> session\'s e-mail </script><script>window.pwned=1</script>' }];
    const events = buildJournal(spec);
    const runDir = await mkdtemp(join(tmpdir(), 'rehearsal-html-'));
    try {
      await writeFile(join(runDir, 'journal.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
      const result = await renderReports(groupJournal(events), { runDir, reporters: ['html'], gates: [], out: new PassThrough().resume() });
      expect(result.reporterErrors).toEqual([]);
      const { page, errors } = await openReport(browser, result.files.html as string);
      await page.locator('#chart-histogram canvas').first().waitFor();
      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      expect(await page.getByText('</script><script>window.pwned=1</script>', { exact: false }).count()).toBeGreaterThan(0);
      expect(await page.locator('li.finding b').count()).toBe(0);
      expect(errors).toEqual([]);
      await page.context().close();
    } finally {
      await rm(runDir, { recursive: true, force: true });
    }
  });
});
