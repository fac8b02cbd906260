/**
 * The repro app convention (`ReproAppFactory`) for the demo support assistant: emitted repro
 * tests import `startApp` from here. `DEFECTS` in the environment switches its bugs on, so the
 * same emitted test can be run against the buggy and the fixed app.
 */
import { startSupportApp } from '../../examples/support-assistant/app-server.ts';
import { parseDefects } from '../../examples/support-assistant/defects.ts';
import type { ReproAppFactory } from '../../src/repro/emit-test.ts';

export const startApp: ReproAppFactory = async ({ baseUrl }) => {
  const app = await startSupportApp({
    port: 0,
    llmBaseUrl: baseUrl('llm'),
    toolsBaseUrl: baseUrl('tools'),
    retrievalBaseUrl: baseUrl('retrieval'),
    defects: parseDefects(process.env.DEFECTS),
  });
  return {
    async send(input, { session }) {
      const response = await fetch(`${app.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session_id: session, message: input }) });
      const body = (await response.json()) as { reply?: string; triage?: unknown };
      return { status: response.status, text: body.reply ?? '', structured: body.triage };
    },
    close: () => app.close(),
  };
};
