import type { Browser, BrowserContext, Page } from 'playwright';
import { HarnessError, errorMessage } from '../errors.ts';
import { renderTemplate } from '../scenario/templates.ts';
import type { Target } from '../scenario/schema.ts';
import type { TargetEnvironment } from './http-target.ts';
import type { ObservedReply, SendContext, TargetAdapter, TargetTurn } from './types.ts';

export type BrowserTargetConfig = Extract<Target, { type: 'browser' }>;

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Plays turns through the app's chat page, as a user saw it: one browser per run, one
 * context and page per session instance. Each turn types the input, clicks send, waits for a
 * new reply element and for the busy indicator to go, then reads the last reply.
 */
export async function createBrowserTarget(config: BrowserTargetConfig, env: TargetEnvironment): Promise<TargetAdapter> {
  const { chromium } = await import('playwright');
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: config.executablePath, args: CHROMIUM_ARGS });
  } catch (err) {
    throw new HarnessError('TARGET', `cannot launch chromium at ${config.executablePath}: ${errorMessage(err).split('\n')[0]}`, {
      cause: err,
      hint: 'install Debian chromium or set target.executablePath',
    });
  }
  const pages = new Map<string, { context: BrowserContext; page: Page }>();

  async function pageFor(context: SendContext): Promise<Page> {
    const open = pages.get(context.instance);
    if (open) return open.page;
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    pages.set(context.instance, { context: ctx, page });
    await ctx.setExtraHTTPHeaders({ ...context.headers });
    const path = renderTemplate(config.page.path, { session: context.instance, deps: env.deps }, encodeURIComponent);
    await page.goto(new URL(path, env.url).href, { timeout: config.timeout });
    return page;
  }

  return {
    async send(turn: TargetTurn, context: SendContext): Promise<ObservedReply> {
      const started = performance.now();
      try {
        const page = await pageFor(context);
        await pages.get(context.instance)?.context.setExtraHTTPHeaders({ ...context.headers });
        const replies = page.locator(config.page.reply);
        const before = await replies.count();
        await page.locator(config.page.input).fill(turn.input, { timeout: config.timeout });
        await page.locator(config.page.send).click({ timeout: config.timeout });
        await replies.nth(before).waitFor({ state: 'attached', timeout: config.timeout });
        const ttftMs = performance.now() - started;
        if (config.page.busy) await page.locator(config.page.busy).first().waitFor({ state: 'hidden', timeout: config.timeout });
        const text = (await replies.last().innerText({ timeout: config.timeout })).trim();
        return { status: 200, text, ttftMs };
      } catch (err) {
        const dead = env.deadCause?.();
        return { status: 0, text: '', error: dead ?? `browser turn ${turn.index} of ${context.instance}: ${errorMessage(err).split('\n')[0]}` };
      }
    },
    async endSession(instance: string): Promise<void> {
      const open = pages.get(instance);
      pages.delete(instance);
      await open?.context.close();
    },
    async close(): Promise<void> {
      for (const { context } of pages.values()) await context.close().catch(() => {});
      pages.clear();
      await browser.close();
    },
  };
}
