import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { rehearse } from '../archive/cli-run.ts';

/**
 * The CI examples and docs/ci.md only use flags the CLI has: every `--flag` written after
 * `rehearse run` / `rehearse merge-reports` in them must appear in that command's `--help`.
 */
const REPO = resolve(import.meta.dirname, '..', '..');
const FILES = ['examples/ci/nightly.yml', 'examples/k8s/load-rehearsal-job.yaml', 'docs/ci.md', 'docs/reports.md'];

async function helpFlags(command: string): Promise<Set<string>> {
  const { code, stdout, stderr } = await rehearse([command, '--help'], REPO);
  expect(code, stderr).toBe(0);
  return new Set(stdout.match(/--[a-z][a-z-]*/g) ?? []);
}

/** Flags used after `rehearse <command>` on one line, in every file. */
async function usedFlags(command: string): Promise<Array<{ file: string; flag: string }>> {
  const used: Array<{ file: string; flag: string }> = [];
  for (const file of FILES) {
    const text = await readFile(join(REPO, file), 'utf8');
    for (const line of text.split('\n')) {
      const at = line.indexOf(`rehearse ${command} `);
      if (at < 0) continue;
      for (const flag of line.slice(at).match(/(?<=\s)--[a-z][a-z-]*/g) ?? []) used.push({ file, flag });
    }
  }
  return used;
}

describe('CI examples and docs', () => {
  it('are valid YAML', async () => {
    for (const file of FILES.filter((f) => /\.ya?ml$/.test(f))) {
      const docs = parseAllDocuments(await readFile(join(REPO, file), 'utf8'));
      expect(docs.flatMap((d) => d.errors), file).toEqual([]);
    }
  });

  it.each(['run', 'merge-reports', 'report'])('use only flags `rehearse %s --help` lists', async (command) => {
    const known = await helpFlags(command);
    const used = await usedFlags(command);
    expect(used.filter((u) => !known.has(u.flag))).toEqual([]);
    if (command !== 'report') expect(used.length).toBeGreaterThan(0);
  });

  it("document every merge-reports flag in docs/ci.md's table", async () => {
    const doc = await readFile(join(REPO, 'docs', 'ci.md'), 'utf8');
    for (const flag of await helpFlags('merge-reports')) if (flag !== '--help') expect(doc, flag).toContain(flag);
  });
});
