import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Reporter } from '../../reporter.ts';
import { prepareHtmlData } from './html-data.ts';
import { renderHtmlPage } from './html-template.ts';

/** `report.html`: one self-contained file (charts bundled), readable offline and as a CI artifact. */
export const htmlReporter: Reporter = {
  async onRunEnd(ctx) {
    const path = join(ctx.runDir, 'report.html');
    await writeFile(path, renderHtmlPage(prepareHtmlData(ctx)));
    return path;
  },
};
