import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { groupJournal, readJournal } from '../../src/journal/journal-reader.ts';
import { runScenario } from '../../src/replay/index.ts';
import { recordDemoSession } from '../repro/record-demo-session.ts';
import { scenarioDir } from './scenario-files.ts';

const DEMO_MAIN = join(import.meta.dirname, '..', '..', 'examples', 'support-assistant', 'main.ts');

describe('replaying the support-assistant demo app', () => {
  it('replays a recorded demo session against the started demo app, every dependency call answered from the recording', async () => {
    const recorded = await recordDemoSession('demo1', ['Hi, I am Olivia Reid. Where is my order ORD-100027?', 'Thanks. When will it arrive?']);
    const { scenarioPath } = await scenarioDir([recorded], {
      target: {
        type: 'http',
        url: 'http://127.0.0.1:{{port}}',
        start: {
          command: `"${process.execPath}" "${DEMO_MAIN}"`,
          env: { PORT: '{{port}}', LLM_BASE_URL: '{{deps.llm}}', TOOLS_BASE_URL: '{{deps.tools}}', RETRIEVAL_BASE_URL: '{{deps.retrieval}}', DEFECTS: 'none' },
          health: 'http://127.0.0.1:{{port}}/health',
        },
        // The recording was made through /api/chat (non-streamed model answers), so replay uses it too.
        request: { path: '/api/chat', body: { session_id: '{{session}}', message: '{{input}}' } },
        reply: { text: '/reply', structured: '/triage' },
        timeout: '10s',
      },
      dependencies: { llm: { kind: 'llm' }, tools: { kind: 'tool' }, retrieval: { kind: 'retrieval' } },
      load: { speed: 50, thinkTime: 'none', clones: 2 },
    });
    const result = await runScenario({ scenarioPath, out: new PassThrough().resume(), err: new PassThrough().resume(), env: process.env, cwd: process.cwd() });
    const run = groupJournal(await readJournal(join(result.runDir, 'journal.jsonl')));
    expect(run.instances.size).toBe(2);
    for (const data of run.instances.values()) {
      expect(data.end?.status).toBe('completed');
      expect(data.turns.map((t) => t.reply.text)).toEqual(recorded.turns.map((t) => t.output.text));
      expect(data.turns[0]?.reply.structured).toEqual(recorded.turns[0]?.output.structured);
      expect(data.calls.length).toBe(recorded.turns.reduce((n, t) => n + t.exchanges.length, 0));
      expect(data.calls.every((c) => c.match.mode === 'replay' && c.instance === data.start.instance)).toBe(true);
    }
    expect(run.unattributedCalls).toEqual([]);
  });
});
