/**
 * CLI entry of the support assistant.
 *
 *   PORT=8080 LLM_BASE_URL=http://127.0.0.1:9090 TOOLS_BASE_URL=http://127.0.0.1:9090/tools \
 *   RETRIEVAL_BASE_URL=http://127.0.0.1:9090/retrieval DEFECTS=none node examples/support-assistant/main.ts
 *
 * Prints `listening on http://127.0.0.1:PORT` once ready; exits cleanly on SIGTERM/SIGINT.
 */
import { startSupportApp } from './app-server.ts';
import { parseDefects } from './defects.ts';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    console.error(`support-assistant: ${name} is not set; start the dependencies (deps-main.ts) and point ${name} at them (see examples/support-assistant/README.md)`);
    process.exit(2);
  }
  return value.trim();
}

function parsePort(value: string | undefined): number {
  const port = Number(value ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`support-assistant: PORT="${value}" is not a port number (0-65535)`);
    process.exit(2);
  }
  return port;
}

let defects;
try {
  defects = parseDefects(process.env.DEFECTS);
} catch (error) {
  console.error(`support-assistant: ${(error as Error).message}`);
  process.exit(2);
}

const app = await startSupportApp({
  port: parsePort(process.env.PORT),
  llmBaseUrl: required('LLM_BASE_URL'),
  toolsBaseUrl: required('TOOLS_BASE_URL'),
  retrievalBaseUrl: required('RETRIEVAL_BASE_URL'),
  defects,
  llmApiKey: process.env.LLM_API_KEY,
  log: (line) => console.error(`support-assistant: ${line}`),
});
console.log(`listening on ${app.url}`);
if (defects.size > 0) console.error(`support-assistant: defects on: ${[...defects].join(', ')}`);

let stopping = false;
function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  console.error(`support-assistant: ${signal}, shutting down`);
  app.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`support-assistant: shutdown failed: ${String(error)}`);
      process.exit(1);
    },
  );
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
