/**
 * CLI entry of the support assistant's "production" dependencies (model, tools, retrieval).
 *
 *   PORT=9090 node examples/support-assistant/deps-main.ts
 *
 * Prints `listening on http://127.0.0.1:PORT` once ready, then the three base URLs to give
 * the app; exits cleanly on SIGTERM/SIGINT. LATENCY_SCALE (default 1) scales simulated delays.
 */
import { startProductionDeps } from './deps-server.ts';

const port = Number(process.env.PORT ?? '0');
const latencyScale = Number(process.env.LATENCY_SCALE ?? '1');
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`support-deps: PORT="${process.env.PORT}" is not a port number (0-65535)`);
  process.exit(2);
}
if (!Number.isFinite(latencyScale) || latencyScale < 0) {
  console.error(`support-deps: LATENCY_SCALE="${process.env.LATENCY_SCALE}" must be a number >= 0`);
  process.exit(2);
}

const deps = await startProductionDeps({ port, latencyScale });
console.log(`listening on ${deps.url}`);
console.log(`LLM_BASE_URL=${deps.url} TOOLS_BASE_URL=${deps.url}/tools RETRIEVAL_BASE_URL=${deps.url}/retrieval`);

let stopping = false;
function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  console.error(`support-deps: ${signal}, shutting down`);
  deps.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`support-deps: shutdown failed: ${String(error)}`);
      process.exit(1);
    },
  );
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
