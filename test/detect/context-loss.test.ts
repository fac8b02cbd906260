import { describe, expect, it } from 'vitest';
import type { Canary, LlmMessage } from '../../src/model/index.ts';
import { RunBuilder, assistant, detect, llmExchange, session, system, user } from './build.ts';

const inputs = [
  'Hi, I am ana.ruiz@example.org and my order ORD-482913 has not arrived',
  'It was supposed to come on Monday',
  'Can you check the tracking?',
  'And refund the 45.90 shipping fee please',
];
const replies = ['Let me check.', 'I see.', 'It is in transit.', 'Done.'];

/** The full conversation the app sends at `turn` (history of every earlier turn). */
function fullHistory(turn: number): LlmMessage[] {
  const history = inputs.slice(0, turn).flatMap((input, i) => [user(input), assistant(replies[i] ?? '')]);
  return [system('You are Sam.'), ...history, user(inputs[turn] ?? '')];
}

const recorded = session(
  'sess-a',
  inputs.map((input, turn) => ({ input, reply: replies[turn], exchanges: [llmExchange(fullHistory(turn))] })),
  [{ type: 'email', surrogate: 'ana.ruiz@example.org' }],
);
const canaries: Canary[] = [{ type: 'email', value: 'zoe.kim@rehearsal.test', recorded: 'ana.ruiz@example.org' }];
const rekey = (messages: LlmMessage[]): LlmMessage[] => messages.map((m) => ({ ...m, content: m.content.replaceAll('ana.ruiz@example.org', 'zoe.kim@rehearsal.test') }));
/** History limited to the last two exchanges: the demo app's history-truncation defect. */
const truncated = (turn: number): LlmMessage[] => {
  const all = fullHistory(turn);
  return [all[0] as LlmMessage, ...all.slice(1, -1).slice(-4), all.at(-1) as LlmMessage];
};

function play(id: string, requestAt: (turn: number) => LlmMessage[], builder = new RunBuilder(), variant: 'main' | 'baseline' = 'main', shadowOf?: string): RunBuilder {
  builder.instance(id, { recorded, canaries, variant, ...(shadowOf ? { shadowOf } : {}) });
  inputs.forEach((input, turn) => {
    builder.call(id, turn, { messages: rekey(requestAt(turn)) });
    builder.turn(id, turn, { input, reply: replies[turn] ?? '' });
  });
  return builder;
}

describe('context_loss', () => {
  it('reports the turn whose request lost an earlier turn, naming the missing turn and facts', () => {
    const findings = detect(play('i1', truncated).build(), [recorded], 'context_loss');
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({ sessionInstance: 'i1', recordedSession: 'sess-a', turn: 3, severity: 'high' });
    expect(f?.evidence.missingTurns).toEqual([{ turn: 0, input: expect.stringContaining('ORD-482913') }]);
    const facts = (f?.evidence.missingFacts as Array<{ fact: string }>).map((x) => x.fact);
    // identities are shown as the instance's canary, ids as quoted
    expect(facts).toEqual(expect.arrayContaining(['zoe.kim@rehearsal.test', 'ORD-482913']));
    expect(f?.title).toContain('turn 3');
    expect(f?.repro).toBe('rehearse repro rec.tar.gz --instance i1 --seed 7');
  });

  it('finds nothing when the app sends the whole history (re-keyed identities included)', () => {
    expect(detect(play('i1', fullHistory).build(), [recorded], 'context_loss')).toEqual([]);
  });

  it('ignores facts whose presence differs between two clean replays (noise)', () => {
    // Baseline 1 keeps the history, baseline 2 truncates it: turn-0 content is noisy here.
    const b = play('i1', truncated);
    play('i1~b1', fullHistory, b, 'baseline', 'i1');
    play('i1~b2', truncated, b, 'baseline', 'i1');
    expect(detect(b.build(), [recorded], 'context_loss')).toEqual([]);
  });

  it('reports a conversation id that changes where the recording kept one', () => {
    const withConv = session('sess-c', [
      { input: 'hello', exchanges: [{ ...llmExchange([user('hello')]), request: { method: 'POST', url: 'u', headers: {}, body: { conversation: 'conv_1', messages: [] } } }] },
      { input: 'again', exchanges: [{ ...llmExchange([user('again')]), request: { method: 'POST', url: 'u', headers: {}, body: { conversation: 'conv_1', messages: [] } } }] },
    ]);
    const b = new RunBuilder().instance('i2', { recorded: withConv });
    b.call('i2', 0, { body: { conversation: 'conv_9', messages: [] } }).turn('i2', 0, { reply: 'ok' });
    b.call('i2', 1, { body: { conversation: 'conv_10', messages: [] } }).turn('i2', 1, { reply: 'ok' });
    const findings = detect(b.build(), [withConv], 'context_loss');
    expect(findings).toMatchObject([{ turn: 1, evidence: { before: 'conv_9', after: 'conv_10' } }]);
  });
});
