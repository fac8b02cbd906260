import { writeArchive } from '../../src/archive/index.ts';
import type { Exchange, Session } from '../../src/model/index.ts';

/** An OpenAI chat completion exchange as the recorder would store it. */
function llmExchange(messages: Array<{ role: string; content: string }>, answer: string): Exchange {
  return {
    kind: 'llm',
    name: 'gpt-test',
    dependency: 'llm',
    path: '/v1/chat/completions',
    request: { method: 'POST', url: 'http://llm.internal/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: { model: 'gpt-test', messages } },
    response: { status: 200, headers: { 'content-type': 'application/json' }, body: { id: 'c1', object: 'chat.completion', model: 'gpt-test', choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }] } },
    startOffsetMs: 5,
    durationMs: 40,
  };
}

/**
 * A recorded support session for customer `n`: the user gives an email and an order number,
 * the model answers using them. Identities are the recording's surrogates, which replay re-keys.
 */
export function supportSession(n: number, turns = 3, startOffsetS = n): Session {
  const email = `user${n}.moreau@mail.example`;
  const inputs = [`Hi, my email is ${email}`, `Where is order ${1000 + n}?`, 'Thanks, can you confirm my email?', 'And the delivery date?', 'Bye'].slice(0, turns);
  const answers = [`Hello! I found the account ${email}.`, `Order ${1000 + n} ships tomorrow.`, `Your email is ${email}.`, 'It arrives on Friday.', 'Goodbye!'];
  const history: Array<{ role: string; content: string }> = [{ role: 'system', content: 'You are a support assistant.' }];
  return {
    id: `s${String(n).padStart(3, '0')}`,
    startedAt: new Date(Date.UTC(2026, 0, 1, 10, 0, startOffsetS)).toISOString(),
    segment: { language: 'en', channel: n % 2 ? 'web' : 'mobile' },
    identities: [{ type: 'email', surrogate: email }],
    turns: inputs.map((text, index) => {
      history.push({ role: 'user', content: text });
      const exchange = llmExchange(history.map((m) => ({ ...m })), answers[index] as string);
      history.push({ role: 'assistant', content: answers[index] as string });
      return { index, offsetMs: index * 1000, input: { text }, output: { status: 200, text: answers[index] as string, latencyMs: 50 }, exchanges: [exchange] };
    }),
  };
}

export async function writeRecording(path: string, sessions: Session[]): Promise<void> {
  await writeArchive(path, sessions, { anonymization: { policyId: 'builtin/v1', droppedSessions: 0 }, createdAt: new Date('2026-01-02T00:00:00Z') });
}
