/**
 * A small staging app for the replayer's integration tests: POST /chat {input, session}
 * keeps each session's history server-side, asks the LLM dependency (OpenAI chat format at
 * `$LLM_BASE_URL/v1/chat/completions`) with the whole history, propagates `traceparent`,
 * `baggage` and `x-rehearsal-*`, and answers {reply}. A failed LLM call becomes an apology.
 * An input containing `CRASH` makes the process exit right after answering (a target dying mid-run).
 * Run as a process: `PORT=… LLM_BASE_URL=… node test/replay/staging-app.ts`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { request } from 'undici';

const PROPAGATED = ['traceparent', 'baggage', 'x-rehearsal-run', 'x-rehearsal-session', 'x-rehearsal-turn'];

export async function startStagingApp(port: number, llmBaseUrl: string): Promise<Server> {
  const histories = new Map<string, Array<{ role: string; content: string }>>();
  const server = createServer(async (req, res) => {
    if (req.url === '/health') return void res.end('ok');
    const { input, session } = JSON.parse(await body(req)) as { input: string; session: string };
    if (input.includes('CRASH')) {
      res.end(JSON.stringify({ reply: 'crashing' }));
      setTimeout(() => process.exit(3), 10);
      return;
    }
    const history = histories.get(session) ?? [{ role: 'system', content: 'You are a support assistant.' }];
    history.push({ role: 'user', content: input });
    histories.set(session, history);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    for (const name of PROPAGATED) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    let reply: string;
    try {
      const r = await request(`${llmBaseUrl}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ model: 'gpt-test', messages: history }) });
      const text = await r.body.text();
      reply = r.statusCode >= 400 ? 'Sorry, something went wrong.' : (JSON.parse(text) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content ?? '';
    } catch {
      reply = 'Sorry, something went wrong.';
    }
    history.push({ role: 'assistant', content: reply });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ reply }));
  });
  server.listen(port, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return server;
}

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

if (import.meta.main) {
  // A slow boot, as staging apps have: rehearsal's clock must not start before health is up.
  await new Promise((r) => setTimeout(r, Number(process.env.START_DELAY_MS ?? 0)));
  const server = await startStagingApp(Number(process.env.PORT ?? 0), process.env.LLM_BASE_URL ?? '');
  console.log(`listening on ${JSON.stringify(server.address())}`);
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
