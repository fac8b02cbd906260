/**
 * The app's web chat page: self-contained (no external assets), with stable `data-testid`
 * hooks for a Playwright browser target. The session id comes from `?session=ID` or is made
 * once per page load.
 */
export function renderChatPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Northwind Outfitters — Support</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
  main { max-width: 640px; margin: 0 auto; display: flex; flex-direction: column; height: 100vh; }
  header { padding: 14px 16px; background: #1f4f46; color: #fff; font-weight: 600; }
  ol { list-style: none; margin: 0; padding: 16px; flex: 1; overflow-y: auto; display: flex; flex-direction: column; gap: 10px; }
  li { max-width: 80%; padding: 9px 12px; border-radius: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
  li[data-role="user"] { align-self: flex-end; background: #1f4f46; color: #fff; }
  li[data-role="assistant"] { align-self: flex-start; background: #fff; border: 1px solid #dde1e6; }
  li[data-role="error"] { align-self: center; background: #fde8e8; color: #8a1c1c; font-size: 13px; }
  #busy { padding: 0 16px 8px; color: #5b6472; font-size: 13px; }
  form { display: flex; gap: 8px; padding: 12px 16px; background: #fff; border-top: 1px solid #dde1e6; }
  textarea { flex: 1; resize: none; font: inherit; padding: 8px; border: 1px solid #c5cbd3; border-radius: 8px; }
  button { font: inherit; padding: 0 18px; border: 0; border-radius: 8px; background: #1f4f46; color: #fff; cursor: pointer; }
  button:disabled { opacity: .5; cursor: default; }
</style>
</head>
<body>
<main>
  <header>Northwind Outfitters · Support chat</header>
  <ol id="messages" data-testid="chat-messages" aria-live="polite"></ol>
  <div id="busy" data-testid="chat-busy" hidden>Sam is typing…</div>
  <form id="composer">
    <textarea id="input" data-testid="chat-input" rows="2" placeholder="Type your message…" aria-label="Message"></textarea>
    <button id="send" type="submit" data-testid="chat-send">Send</button>
  </form>
</main>
<script>
(() => {
  const params = new URLSearchParams(location.search);
  const sessionId = params.get('session') || (crypto.randomUUID ? crypto.randomUUID() : 'web-' + Date.now().toString(36) + Math.random().toString(36).slice(2));
  document.body.dataset.sessionId = sessionId;
  const list = document.getElementById('messages');
  const input = document.getElementById('input');
  const send = document.getElementById('send');
  const busy = document.getElementById('busy');
  const form = document.getElementById('composer');

  // Delivery errors are not assistant messages: they get their own test id.
  function append(role, text) {
    const item = document.createElement('li');
    item.dataset.testid = role === 'error' ? 'chat-error' : 'chat-message';
    item.dataset.role = role;
    item.textContent = text;
    list.appendChild(item);
    list.scrollTop = list.scrollHeight;
  }

  async function submit() {
    const message = input.value.trim();
    if (!message || send.disabled) return;
    input.value = '';
    append('user', message);
    send.disabled = true;
    busy.hidden = false;
    try {
      const response = await fetch('/api/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ session_id: sessionId, message, channel: 'web' }),
      });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || ('HTTP ' + response.status));
      append('assistant', body.reply);
    } catch (error) {
      append('error', 'Message not delivered: ' + error.message);
    } finally {
      busy.hidden = true;
      send.disabled = false;
      input.focus();
    }
  }

  form.addEventListener('submit', (event) => { event.preventDefault(); submit(); });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); submit(); }
  });
  input.focus();
})();
</script>
</body>
</html>
`;
}
