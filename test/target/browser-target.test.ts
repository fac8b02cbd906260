import { once } from 'node:events';
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { Target } from '../../src/scenario/schema.ts';
import { createTarget, propagationHeaders } from '../../src/target/index.ts';

const PAGE = `<!doctype html><html><body>
<div id="log"></div><input id="msg"><button id="send">Send</button><span id="busy" hidden>…</span>
<script>
  const session = new URLSearchParams(location.search).get('s');
  document.getElementById('send').onclick = async () => {
    const input = document.getElementById('msg').value;
    document.getElementById('busy').hidden = false;
    const r = await fetch('/api', { method: 'POST', body: JSON.stringify({ input, session }) });
    const { reply } = await r.json();
    const div = document.createElement('div'); div.className = 'reply'; div.textContent = reply;
    document.getElementById('log').append(div);
    document.getElementById('busy').hidden = true;
  };
</script></body></html>`;

describe('browser target', () => {
  it('types each turn into the chat page of its instance and reads the last reply', async () => {
    const seen: Array<{ session: string; header: string | undefined }> = [];
    const histories = new Map<string, number>();
    const server = createServer(async (req, res) => {
      if (req.url?.startsWith('/api')) {
        let body = '';
        for await (const c of req) body += c;
        const { input, session } = JSON.parse(body) as { input: string; session: string };
        seen.push({ session, header: req.headers['x-rehearsal-turn'] as string | undefined });
        const n = (histories.get(session) ?? 0) + 1;
        histories.set(session, n);
        setTimeout(() => res.end(JSON.stringify({ reply: `#${n} you said: ${input}` })), 50);
        return;
      }
      res.setHeader('content-type', 'text/html');
      res.end(PAGE);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const adapter = await createTarget(Target.parse({ type: 'browser', url, timeout: '10s', page: { path: '/?s={{session}}', input: '#msg', send: '#send', reply: '.reply', busy: '#busy' } }), { url, deps: {} });
    try {
      const send = (instance: string, turn: number, input: string) =>
        adapter.send({ index: turn, input }, { runId: 'r', instance, headers: propagationHeaders({ runId: 'r', instance, turn }), signal: new AbortController().signal });
      expect(await send('a', 0, 'hello')).toMatchObject({ status: 200, text: '#1 you said: hello' });
      expect(await send('b', 0, 'bonjour')).toMatchObject({ status: 200, text: '#1 you said: bonjour' });
      expect(await send('a', 1, 'order 42?')).toMatchObject({ status: 200, text: '#2 you said: order 42?' });
      await adapter.endSession?.('a');
      expect(seen).toEqual([
        { session: 'a', header: '0' },
        { session: 'b', header: '0' },
        { session: 'a', header: '1' },
      ]);
    } finally {
      await adapter.close();
      server.close();
    }
  });
});
