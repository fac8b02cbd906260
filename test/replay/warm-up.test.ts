import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { groupJournal, readJournal } from '../../src/journal/journal-reader.ts';
import { runScenario } from '../../src/replay/index.ts';
import { wantsWarmUp, warmUpPath } from '../../src/replay/warm-up.ts';
import { closeNow, listenOnLoopback } from '../../src/util/loopback.ts';
import { supportSession } from './recordings.ts';
import { scenarioDir } from './scenario-files.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeNow));
});

/** An in-process staging app that notes, when the first chat turn arrives, how many sockets it had accepted. */
async function countingApp(): Promise<{ url: string; accepted: () => number; atFirstTurn: () => number | undefined }> {
  let accepted = 0;
  let atFirstTurn: number | undefined;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/health') return void res.end('ok');
      if (req.url !== '/chat') return void res.writeHead(404).end();
      atFirstTurn ??= accepted;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ reply: 'ok' }));
    });
  });
  server.on('connection', () => accepted++);
  servers.push(server);
  return { url: await listenOnLoopback(server), accepted: () => accepted, atFirstTurn: () => atFirstTurn };
}

function collect(): PassThrough & { text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk) => (text += chunk));
  return Object.assign(stream, { text: () => text });
}

async function runAgainst(url: string, warmupRequest: string) {
  const { scenarioPath, dir } = await scenarioDir([supportSession(1, 2), supportSession(2, 2), supportSession(3, 2)], {
    target: { type: 'http', url, request: { path: '/chat', body: { input: '{{input}}', session: '{{session}}' } }, reply: { text: '/reply' } },
    load: { model: 'closed', users: 3, thinkTime: 'none', warmup: '1ms', warmupRequest },
    outputs: { dir: 'runs/{name}-{time}', reporters: ['console', 'markdown'] },
  });
  const out = collect();
  const err = collect();
  const result = await runScenario({ scenarioPath, out, err, env: process.env, cwd: dir });
  const run = groupJournal(await readJournal(join(result.runDir, 'journal.jsonl')));
  return { result, run, out: out.text(), err: err.text() };
}

describe('warm-up before t = 0', () => {
  it('pre-opens the pool bound of connections before the first turn and reports them', async () => {
    const app = await countingApp();
    const { result, run, out, err } = await runAgainst(app.url, '/health');
    expect(result.interrupted).toBe(false);
    // Three users, so a pool of three: all three sockets were open when the first turn arrived, and no more were needed.
    expect(app.atFirstTurn()).toBe(3);
    expect(app.accepted()).toBe(3);
    expect(run.warmUps).toHaveLength(1);
    expect(run.warmUps[0]).toMatchObject({ path: '/health', connections: { wanted: 3, open: 3 }, requests: { ok: 3, failed: 0 }, errors: [] });
    expect(run.warmUps[0]?.t).toBeLessThanOrEqual(0);
    expect(err).toContain('rehearse: warm-up: 3 of 3 connections open before t = 0 (GET /health');
    expect(out).toContain('warm-up: 3 of 3 connections open before t = 0 (GET /health');
  });

  it('a failing warm-up request is reported and the run goes on', async () => {
    const app = await countingApp();
    const { result, run, err } = await runAgainst(app.url, '/not-there');
    expect(result.interrupted).toBe(false);
    expect([...run.instances.values()].map((d) => d.end?.status)).toEqual(['completed', 'completed', 'completed']);
    expect(run.warmUps[0]).toMatchObject({ requests: { ok: 0, failed: 3 }, errors: ['GET /not-there: 404'] });
    expect(err).toContain('3 of 3 requests failed: GET /not-there: 404');
  });

  it('defaults to GET of target.start.health, rendered with the started port', async () => {
    const { scenarioPath, dir } = await scenarioDir([supportSession(1, 1)], { load: { thinkTime: 'none', concurrency: 2, warmup: '1ms' } });
    const result = await runScenario({ scenarioPath, out: collect(), err: collect(), env: process.env, cwd: dir });
    const run = groupJournal(await readJournal(join(result.runDir, 'journal.jsonl')));
    expect(run.warmUps[0]).toMatchObject({ path: '/health', connections: { wanted: 2, open: 2 }, requests: { ok: 2, failed: 0 } });
  });
});

describe('warm-up request', () => {
  it('runs only when declared: load.warmup > 0 or load.warmupRequest', () => {
    expect(wantsWarmUp({ warmup: 0 })).toBe(false);
    expect(wantsWarmUp({ warmup: 1000 })).toBe(true);
    expect(wantsWarmUp({ warmup: 0, warmupRequest: '/ping' })).toBe(true);
  });

  it('is load.warmupRequest, else start.health on the target origin, never a chat turn', () => {
    expect(warmUpPath({ warmupRequest: '/ping' }, 'http://127.0.0.1:8080/api', 'http://127.0.0.1:8080/health')).toEqual({ path: '/ping' });
    expect(warmUpPath({}, 'http://127.0.0.1:8080/api', 'http://127.0.0.1:8080/health?deep=1')).toEqual({ path: '/health?deep=1' });
    expect(warmUpPath({}, 'http://127.0.0.1:8080', 'http://127.0.0.1:9090/health')).toMatchObject({ skipped: expect.stringContaining('not on the target') });
    expect(warmUpPath({}, 'http://127.0.0.1:8080', undefined)).toMatchObject({ skipped: expect.stringContaining('set load.warmupRequest') });
  });
});
