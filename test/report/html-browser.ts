import { chromium, type Browser, type Page } from 'playwright';
import { pathToFileURL } from 'node:url';

/** Debian's Chromium, launched quietly (no network side-channels). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Opens a report file, failing on any page error or any request leaving the file. */
export async function openReport(browser: Browser, file: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('request', (req) => {
    if (!req.url().startsWith('file:')) requests.push(req.url());
  });
  await page.goto(pathToFileURL(file).href);
  return { page, errors, requests };
}

/** Pixels of every canvas in `selector` that are not transparent or white: a drawn chart has many. */
export function inkedPixels(page: Page, selector: string): Promise<number> {
  return page.$$eval(`${selector} canvas`, (canvases) =>
    (canvases as HTMLCanvasElement[]).reduce((sum, canvas) => {
      const ctx = canvas.getContext('2d');
      if (!ctx || canvas.width === 0 || canvas.height === 0) return sum;
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) {
        if ((data[i + 3] as number) > 0 && !(data[i] === 255 && data[i + 1] === 255 && data[i + 2] === 255)) inked++;
      }
      return sum + inked;
    }, 0),
  );
}

/** Variance of grey levels of a PNG screenshot decoded by the browser: near zero for a blank page. */
export async function screenshotVariance(page: Page, png: Buffer): Promise<number> {
  const probe = await page.context().newPage();
  try {
    return await probe.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let sum = 0;
      let sq = 0;
      const n = data.length / 4;
      for (let i = 0; i < data.length; i += 4) {
        const grey = ((data[i] as number) + (data[i + 1] as number) + (data[i + 2] as number)) / 3;
        sum += grey;
        sq += grey * grey;
      }
      return sq / n - (sum / n) ** 2;
    }, png.toString('base64'));
  } finally {
    await probe.close();
  }
}
