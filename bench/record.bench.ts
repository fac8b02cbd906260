/**
 * Recorder benchmarks, each bounded in time, references measured in the same run:
 * - proxy recorder: p99 latency added at a steady 200 req/s (10 s open loop, latency from the
 *   intended send time) vs the same loop straight to the app; max throughput through the
 *   proxy vs straight to the app (autocannon, 5 s each). App and proxy run in child processes.
 * - in-process recorder: latency added per intercepted outbound call (fetch and node:http),
 *   p50 / p99, vs the same calls without the recorder; RSS over 100,000 recorded calls
 *   (fresh child process), last vs first tenth.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import type { BenchRow, Benchmark } from './bench-row.ts';
import { createRecorder } from '../src/record/index.ts';
import { startProxyRecorder } from '../src/record/proxy/proxy-recorder.ts';
import { createAnonymizer } from '../src/anonymize/index.ts';
import { parseValueSource } from '../src/record/value-source.ts';
import { pseudonymizeSessionId } from '../src/repro/session-pseudonym.ts';

const autocannon = createRequire(import.meta.url)('autocannon') as (opts: Record<string, unknown>) => Promise<{ requests: { average: number }; errors: number; non2xx: number }>;
const KEY = Buffer.alloc(32, 7);
const SELF = fileURLToPath(import.meta.url);

const APP = `
  const http = require('node:http');
  http.createServer((req, res) => {
    const parts = [];
    req.on('data', (c) => parts.push(c));
    req.on('end', () => { res.setHeader('content-type', 'application/json'); res.end('{"reply":"ok, noted"}'); });
  }).listen(0, '127.0.0.1', function () { console.log('http://127.0.0.1:' + this.address().port); });
`;

/** The least a proxy can do: read the body, forward with undici, stream the answer back. */
const BARE_FORWARDER = `
  const { Agent } = require('undici');
  const upstream = process.argv[1];
  const agent = new Agent({ connections: 256 });
  require('node:http').createServer(async (req, res) => {
    const parts = [];
    for await (const c of req) parts.push(c);
    const r = await agent.request({ origin: upstream, path: req.url, method: req.method, headers: { 'content-type': 'application/json' }, body: Buffer.concat(parts) });
    res.writeHead(r.statusCode, { 'content-type': 'application/json' });
    for await (const c of r.body) res.write(c);
    res.end();
  }).listen(0, '127.0.0.1', function () { console.log('http://127.0.0.1:' + this.address().port); });
`;

function child(args: string[]): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /(http:\/\/[\d.:]+)/.exec(out);
      if (m) resolve({ url: m[1] as string, proc });
    });
    proc.on('exit', (code) => reject(new Error(`child exited ${code}: ${out}`)));
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const BODY = JSON.stringify({ message: 'Where is my order 1234? My email is pat.lee@corpmail.org' });

/** Open loop at `rate` req/s for `seconds`: latency counted from each request's intended send time. */
async function steadyLatencies(url: string, rate: number, seconds: number): Promise<number[]> {
  const pool = new Pool(url, { connections: 32 });
  const total = rate * seconds;
  const start = performance.now() + 50;
  const latencies: number[] = [];
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait - 1));
    while (performance.now() < due) {
      // spin the last millisecond for an accurate send time
    }
    inflight.push(
      pool
        .request({ path: '/chat', method: 'POST', headers: { 'content-type': 'application/json', 'x-session-id': `s-${i % 500}` }, body: BODY })
        .then(async (r) => {
          await r.body.text();
          latencies.push(performance.now() - due);
        }),
    );
  }
  await Promise.all(inflight);
  await pool.close();
  return latencies.sort((a, b) => a - b);
}

async function maxThroughput(url: string): Promise<number> {
  const result = await autocannon({
    url: `${url}/chat`,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-session-id': 'bench-session' },
    body: BODY,
    connections: 32,
    duration: 5,
  });
  return result.requests.average;
}

async function proxyRows(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'rehearsal-bench-record-'));
  const app = await child(['-e', APP]);
  const proxy = await child([SELF, '--serve-proxy', app.url, join(dir, 'bench.tar.gz')]);
  const bare = await child(['-e', BARE_FORWARDER, app.url]);
  try {
    await steadyLatencies(app.url, 200, 1); // warm both paths
    await steadyLatencies(proxy.url, 200, 1);
    const direct = await steadyLatencies(app.url, 200, 10);
    const proxied = await steadyLatencies(proxy.url, 200, 10);
    const added = percentile(proxied, 99) - percentile(direct, 99);
    const directRps = await maxThroughput(app.url);
    const proxiedRps = await maxThroughput(proxy.url);
    const bareRps = await maxThroughput(bare.url);
    return [
      { benchmark: 'record proxy: p99 latency added at 200 req/s', figure: added, unit: 'ms', referenceName: 'direct p99', reference: percentile(direct, 99), ratio: percentile(proxied, 99) / percentile(direct, 99), target: 'added ≤ 2 ms', met: added <= 2 },
      { benchmark: 'record proxy: max throughput', figure: proxiedRps, unit: 'req/s', referenceName: 'direct', reference: directRps, ratio: proxiedRps / directRps, target: 'ratio ≥ 0.5', met: proxiedRps / directRps >= 0.5 },
      // Context for the row above: what any forwarding hop costs on this machine.
      { benchmark: 'record proxy: max throughput vs a bare forwarder', figure: proxiedRps, unit: 'req/s', referenceName: 'bare undici forwarder', reference: bareRps, ratio: proxiedRps / bareRps, target: 'ratio ≥ 0.8', met: proxiedRps / bareRps >= 0.8 },
    ];
  } finally {
    app.proc.kill();
    bare.proc.kill();
    proxy.proc.kill('SIGTERM');
    await new Promise((r) => proxy.proc.once('exit', r));
    await rm(dir, { recursive: true, force: true });
  }
}

function postHttp(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/dep`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    req.end(BODY);
  });
}

async function postFetch(url: string): Promise<void> {
  const r = await fetch(`${url}/dep`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
  await r.text();
}

/**
 * An in-process app whose handler makes `calls` outbound calls of one client kind and times
 * each; wrapped by the recorder or not.
 */
async function perCallLatencies(depUrl: string, client: 'fetch' | 'http', recorded: boolean, turns: number, calls: number, out: string): Promise<number[]> {
  const recorder = recorded ? createRecorder({ out, key: KEY, sessionFrom: 'header:x-session-id', deps: { dep: depUrl }, idleMs: 100, maxQueue: 200 }) : undefined;
  const timings: number[] = [];
  const call = client === 'fetch' ? postFetch : postHttp;
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    for (let i = 0; i < calls; i++) {
      const t = performance.now();
      await call(depUrl);
      timings.push(performance.now() - t);
    }
    res.end('{"reply":"ok"}');
  };
  const server = createServer(recorder ? recorder.wrapHandler(handler) : handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pool = new Pool(appUrl, { connections: 1 });
  for (let t = 0; t < turns; t++) {
    const r = await pool.request({ path: '/chat', method: 'POST', headers: { 'x-session-id': `s-${t % 50}` }, body: BODY });
    await r.body.text();
  }
  await pool.close();
  server.close();
  await recorder?.close();
  return timings.sort((a, b) => a - b);
}

async function inProcessLatencyRows(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'rehearsal-bench-inproc-'));
  const dep = await child(['-e', APP]);
  const rows: BenchRow[] = [];
  try {
    for (const client of ['fetch', 'http'] as const) {
      await perCallLatencies(dep.url, client, false, 100, 10, ''); // warm-up
      await perCallLatencies(dep.url, client, true, 100, 10, join(dir, `warm-${client}.tar.gz`));
      // Interleave plain and recorded rounds so drift on a shared machine hits both alike.
      const plain: number[] = [];
      const withRecorder: number[] = [];
      for (let round = 0; round < 3; round++) {
        plain.push(...(await perCallLatencies(dep.url, client, false, 300, 10, '')));
        withRecorder.push(...(await perCallLatencies(dep.url, client, true, 300, 10, join(dir, `${client}-${round}.tar.gz`))));
      }
      plain.sort((a, b) => a - b);
      withRecorder.sort((a, b) => a - b);
      for (const [p, limit] of [[50, 0.5], [99, 2]] as const) {
        const added = percentile(withRecorder, p) - percentile(plain, p);
        rows.push({ benchmark: `record in-process: added latency per ${client} call p${p}`, figure: added, unit: 'ms', referenceName: `plain p${p}`, reference: percentile(plain, p), ratio: percentile(withRecorder, p) / percentile(plain, p), target: `added ≤ ${limit} ms`, met: added <= limit });
      }
    }
  } finally {
    dep.proc.kill();
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

/** Child mode: 100,000 recorded calls; prints RSS after the first and the last tenth. */
async function rssChild(depUrl: string, out: string): Promise<void> {
  const recorder = createRecorder({ out, key: KEY, sessionFrom: 'header:x-session-id', deps: { dep: depUrl }, idleMs: 50, maxQueue: 100 });
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    for (let i = 0; i < 10; i++) await (i % 2 ? postHttp(depUrl) : postFetch(depUrl));
    res.end('{"reply":"ok"}');
  };
  const server = createServer(recorder.wrapHandler(handler));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { connections: 8 });
  const rss: number[] = [];
  const turns = 10_000;
  let next = 0;
  const worker = async () => {
    for (let t = next++; t < turns; t = next++) {
      const r = await pool.request({ path: '/chat', method: 'POST', headers: { 'x-session-id': `s-${t}` }, body: BODY });
      await r.body.text();
      if ((t + 1) % (turns / 10) === 0) rss.push(process.memoryUsage().rss);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const stats = await recorder.close();
  process.stdout.write(`${JSON.stringify({ rss, stats })}\n`);
  process.exit(0);
}

async function rssRow(): Promise<BenchRow> {
  const dir = await mkdtemp(join(tmpdir(), 'rehearsal-bench-rss-'));
  const dep = await child(['-e', APP]);
  try {
    const proc = spawn(process.execPath, [SELF, '--rss-child', dep.url, join(dir, 'rss.tar.gz')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    await new Promise((r) => proc.once('exit', r));
    const { rss } = JSON.parse(out) as { rss: number[] };
    const first = (rss[0] ?? Number.NaN) / 2 ** 20;
    const last = (rss.at(-1) ?? Number.NaN) / 2 ** 20;
    return { benchmark: 'record in-process: RSS after 100,000 calls', figure: last, unit: 'MiB', referenceName: 'after 10,000', reference: first, ratio: last / first, target: 'ratio ≤ 1.25 (flat)', met: last / first <= 1.25 };
  } finally {
    dep.proc.kill();
    await rm(dir, { recursive: true, force: true });
  }
}

async function serveProxy(upstream: string, out: string): Promise<void> {
  const proxy = await startProxyRecorder({
    listen: { host: '127.0.0.1', port: 0 },
    upstream,
    deps: {},
    out,
    anonymizer: createAnonymizer({ key: KEY }),
    pseudonymizeId: (id) => pseudonymizeSessionId(KEY, id),
    sessionFrom: parseValueSource('header:x-session-id', '--session-from'),
    inputFrom: parseValueSource('json:/message', '--input-from'),
    replyFrom: parseValueSource('json:/reply', '--reply-from'),
    idleMs: 2000,
  });
  process.stdout.write(`${proxy.url}\n`);
  process.once('SIGTERM', () => void proxy.close(500).then(() => process.exit(0)));
}

const bench: Benchmark = async () => [...(await proxyRows()), ...(await inProcessLatencyRows()), await rssRow()];
export default bench;

if (import.meta.main) {
  const [mode, a, b] = process.argv.slice(2);
  if (mode === '--serve-proxy') await serveProxy(a as string, b as string);
  else if (mode === '--rss-child') await rssChild(a as string, b as string);
  else {
    const { formatTable } = await import('./run.ts');
    process.stdout.write(`${formatTable(await bench())}\n`);
  }
}
