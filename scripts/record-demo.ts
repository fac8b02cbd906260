/**
 * Records the bundled demo recording (`recordings/support-demo.tar.gz`): the support-assistant
 * demo app in its "production" configuration (defects off, `startProductionDeps`), recorded
 * through the real proxy recorder (`startProxyRecorder`, what `rehearse record` runs) and the
 * anonymizer with the committed demo key, driven by the seeded customer generator at realistic
 * concurrency.
 *
 *   node scripts/record-demo.ts [--sessions 40] [--seed demo] [--out recordings/support-demo.tar.gz]
 *                               [--concurrency 12] [--speed 0.05]
 *
 * The inputs are the same for a seed (the generator draws each session from its own stream);
 * timings vary from run to run. `--speed 0.05` plays arrivals and think times 20× faster than
 * the generator's (Poisson, mean gap 4 s; think time ~8 s), so recording 40 sessions takes
 * well under a minute while sessions still overlap the way they do in production.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startSupportApp } from '../examples/support-assistant/app-server.ts';
import { startProductionDeps } from '../examples/support-assistant/deps-server.ts';
import { driveSessions } from '../examples/support-assistant/drive-sessions.ts';
import { generateSessions } from '../examples/support-assistant/user-generator.ts';
import { createAnonymizer, loadKey, pseudonymizeSessionId } from '../src/anonymize/index.ts';
import { startProxyRecorder } from '../src/record/proxy/proxy-recorder.ts';
import { formatStats } from '../src/record/recorder-stats.ts';
import { parseStructuredSource } from '../src/record/structured-source.ts';
import { parseValueSource } from '../src/record/value-source.ts';
import { freePort } from '../src/target/start-command.ts';

const ROOT = resolve(import.meta.dirname, '..');
/** Demo only: committed so anyone can run `rehearse find` on the bundled recording. Never reuse it. */
const DEMO_KEY = resolve(ROOT, 'examples/support-assistant/demo-anon.key');

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '40' },
    seed: { type: 'string', default: 'demo' },
    out: { type: 'string', default: 'recordings/support-demo.tar.gz' },
    concurrency: { type: 'string', default: '12' },
    speed: { type: 'string', default: '0.05' },
  },
});
const count = Number(values.sessions);
const concurrency = Number(values.concurrency);
const speed = Number(values.speed);
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(concurrency) || concurrency < 1 || !(speed >= 0)) {
  console.error('record-demo: --sessions and --concurrency must be positive integers, --speed a number >= 0');
  process.exit(2);
}
const out = resolve(process.cwd(), values.out);

const production = await startProductionDeps({ port: 0 });
// The app's dependency base URLs must point at the proxy, and the proxy's upstream at the app:
// reserve the proxy's port first, start the app against it, then the proxy on that port.
const proxyPort = await freePort();
const viaProxy = (name: string): string => `http://127.0.0.1:${proxyPort}/_deps/${name}`;
const app = await startSupportApp({
  port: 0,
  llmBaseUrl: viaProxy('llm'),
  toolsBaseUrl: viaProxy('tools'),
  retrievalBaseUrl: viaProxy('retrieval'),
  defects: new Set(),
});
const key = await loadKey({ keyFile: DEMO_KEY });
const recorder = await startProxyRecorder({
  listen: { host: '127.0.0.1', port: proxyPort },
  upstream: app.url,
  deps: { llm: production.url, tools: `${production.url}/tools`, retrieval: `${production.url}/retrieval` },
  out,
  anonymizer: createAnonymizer({ key }),
  pseudonymizeId: (id) => pseudonymizeSessionId(key, id),
  sessionFrom: parseValueSource('json:session_id', '--session-from'),
  inputFrom: parseValueSource('json:/message', '--input-from'),
  replyFrom: parseValueSource('json:/reply', '--reply-from'),
  structuredFrom: parseStructuredSource('json:/triage', '--structured-from'),
  segments: {
    channel: parseValueSource('json:channel', '--segment'),
    language: parseValueSource('header:accept-language', '--segment'),
    plan: parseValueSource('header:x-customer-plan', '--segment'),
  },
  generator: 'scripts/record-demo.ts',
  onError: (message) => console.error(`record-demo: recorder: ${message}`),
});

const sessions = generateSessions(values.seed, count);
const turnCount = sessions.reduce((n, s) => n + s.turns.length, 0);
console.error(`record-demo: recording ${count} sessions (${turnCount} turns, seed ${JSON.stringify(values.seed)}) through ${recorder.url} at concurrency ${concurrency}, speed ${speed}`);
let done = 0;
let failed = 0;
try {
  await driveSessions(recorder.url, sessions, {
    concurrency,
    speed,
    // What a web front end sends along: the customer's language and plan become segment tags.
    headers: (session) => ({ 'accept-language': session.segment.language, 'x-customer-plan': session.segment.plan }),
    onTurn: (turn) => {
      done++;
      if (turn.error) {
        failed++;
        console.error(`record-demo: ${turn.sessionId} turn ${turn.turnIndex}: ${turn.error}`);
      }
      if (done % 25 === 0 || done === turnCount) console.error(`record-demo: ${done}/${turnCount} turns`);
    },
  });
} finally {
  const stats = await recorder.close();
  await app.close();
  await production.close();
  console.error(`record-demo: ${formatStats(stats)}`);
  if (failed > 0 || stats.unattributedCalls > 0 || stats.recordedSessions !== count) {
    console.error(`record-demo: incomplete recording (${failed} failed turns, ${stats.unattributedCalls} unattributed calls, ${stats.recordedSessions}/${count} sessions)`);
    process.exitCode = 1;
  }
  console.log(stats.archives.join('\n'));
}
