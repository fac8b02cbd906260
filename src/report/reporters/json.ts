import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Reporter } from '../reporter.ts';

/** `report.json`: the whole report, machine-readable, shaped by `ReportJson`. */
export const jsonReporter: Reporter = {
  async onRunEnd(ctx) {
    const path = join(ctx.runDir, 'report.json');
    await writeFile(path, JSON.stringify(ctx.report, null, 2) + '\n');
    return path;
  },
};
