import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CUSTOMERS } from '../../../examples/support-assistant/customer-dataset.ts';
import { startStack, type Stack } from './observed-stack.ts';

// Playwright's own browser builds cannot be downloaded here; use a system Chromium when present.
const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => path && existsSync(path));

let stack: Stack;
let browser: Browser;
beforeAll(async () => {
  if (!executablePath) return;
  stack = await startStack([], { latencyScale: 0.2 });
  browser = await chromium.launch({ executablePath });
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

test.skipIf(!executablePath)('a browser types turns into the chat page and reads the replies, in one session', async () => {
  const customer = CUSTOMERS[0]!;
  const orderId = customer.orders[0]!.order_id;
  const page = await browser.newPage();
  await page.goto(`${stack.app.url}/?session=browser-1`);
  const assistant = page.locator('[data-testid="chat-message"][data-role="assistant"]');
  for (const [index, text] of [`Hi, I'm ${customer.name}. Where is my order ${orderId}?`, 'what did I say my order was?'].entries()) {
    await page.getByTestId('chat-input').fill(text);
    await page.getByTestId('chat-send').click();
    await assistant.nth(index).waitFor();
    await page.getByTestId('chat-busy').waitFor({ state: 'hidden' });
  }
  expect(await page.locator('[data-testid="chat-message"][data-role="user"]').count()).toBe(2);
  expect(await assistant.nth(0).textContent()).toContain(orderId);
  expect(await assistant.nth(1).textContent()).toContain(`your order is ${orderId}`);
  // The page kept its ?session= id: the second turn reached the model with the first one.
  const asks = stack.deps.calls.filter((c) => c.path === '/v1/chat/completions' && !c.body.response_format);
  expect(asks[asks.length - 1]!.body.messages.filter((m: any) => m.role === 'user')).toHaveLength(2);
});
