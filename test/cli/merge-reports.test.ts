import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../../src/report/index.ts';
import { rehearse } from '../archive/cli-run.ts';
import { bigJournalSpec, buildJournal, shardSpecs } from '../report/journal-fixture.ts';

let dir: string;
const whole = bigJournalSpec(45);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rehearsal-merge-cli-'));
  const write = async (sub: string, spec: Parameters<typeof buildJournal>[0]) => {
    await mkdir(join(dir, sub), { recursive: true });
    await writeFile(join(dir, sub, 'journal.jsonl'), buildJournal(spec).map((e) => JSON.stringify(e)).join('\n') + '\n');
  };
  await write('single', whole);
  const shards = shardSpecs(whole, 3);
  for (const [i, spec] of shards.entries()) await write(`shard-${i + 1}`, spec);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('rehearse merge-reports / report (CLI)', () => {
  it('merges 3 shards into the same findings and latency percentiles as the unsharded run', async () => {
    const single = await rehearse(['report', 'single', '--reporter', 'json'], dir);
    expect(single.code).toBe(0);
    const merged = await rehearse(['merge-reports', 'shard-1', 'shard-2', 'shard-3', '--out', 'merged'], dir);
    expect(merged.stderr).toContain('merged 3 of 3 shards');
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain('gates: PASSED (2/2)');
    const a = JSON.parse(await readFile(join(dir, 'single/report.json'), 'utf8')) as ReportJson;
    const b = JSON.parse(await readFile(join(dir, 'merged/report.json'), 'utf8')) as ReportJson;
    expect(b.findings.map((f) => f.id).sort()).toEqual(a.findings.map((f) => f.id).sort());
    const { hist: _a, ...latA } = a.summary.latency.turnMs;
    const { hist: _b, ...latB } = b.summary.latency.turnMs;
    expect(latB).toEqual(latA);
    expect(b.summary.latency.ttftMs.p99).toBe(a.summary.latency.ttftMs.p99);
    expect(b.run.shards).toEqual({ count: 3, included: [1, 2, 3] });
    for (const file of ['journal.jsonl', 'junit.xml', 'summary.md', 'report.html']) await readFile(join(dir, 'merged', file));
  });

  it('exits 1 when a gate fails across shards, and when a shard is missing', async () => {
    const failing = await rehearse(['merge-reports', 'shard-1', 'shard-2', 'shard-3', '--out', 'gated', '--gate', 'count(context_loss) <= 2', '--reporter', 'console'], dir);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/count\(context_loss\) <= 2 +\d+ +✗ FAIL/);
    const partial = await rehearse(['merge-reports', 'shard-1', 'shard-3', '--out', 'partial', '--reporter', 'json'], dir);
    expect(partial.code).toBe(1);
    expect(partial.stderr).toContain('shards 2 of 3 are missing');
  });

  it('reports bad input with usage / config exit codes and a hint', async () => {
    const dup = await rehearse(['merge-reports', 'shard-1', 'shard-1', '--out', 'dup'], dir);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/both shard 1\/3[\s\S]*hint:/);
    const badGate = await rehearse(['report', 'single', '--gate', 'p95(turn) < 5'], dir);
    expect(badGate.code).toBe(2);
    expect(badGate.stderr).toContain('unknown latency series "turn"');
    const missing = await rehearse(['report', 'nowhere'], dir);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('has no journal.jsonl');
  });

  it('compares with a baseline', async () => {
    const res = await rehearse(['report', 'shard-1', '--baseline', 'single', '--reporter', 'console', '--out', 'cmp'], dir);
    expect(res.stdout).toMatch(/against baseline run-1: 0 new, \d+ fixed findings/);
  });
});
