/**
 * Regression: the recorder stored the whole JSON reply (`{session_id, reply, triage}`) as a
 * turn's structured output, while a replay reads `/triage`, so schema drift compared different
 * shapes. `--structured-from json:/triage` records the structured part only.
 */
import { describe, expect, it } from 'vitest';
import { replyOf } from '../../src/record/reply.ts';
import { parseStructuredSource } from '../../src/record/structured-source.ts';
import { parseValueSource } from '../../src/record/value-source.ts';

const JSON_HEADERS = { 'content-type': 'application/json' };
const body = Buffer.from(JSON.stringify({ session_id: 's1', reply: 'Your order shipped.', triage: { name: null, issue_type: 'order_status', urgency: 'low' } }));

describe('recorder: --structured-from', () => {
  it('records the value at the pointer as the structured output', () => {
    const reply = replyOf('/api/chat', JSON_HEADERS, body, undefined, parseValueSource('json:/reply', '--reply-from'), parseStructuredSource('json:/triage', '--structured-from'));
    expect(reply).toEqual({ text: 'Your order shipped.', structured: { name: null, issue_type: 'order_status', urgency: 'low' } });
  });

  it('keeps the whole JSON body without the option, and records none when the pointer is absent', () => {
    expect(replyOf('/api/chat', JSON_HEADERS, body, undefined, undefined).structured).toMatchObject({ session_id: 's1' });
    expect(replyOf('/api/chat', JSON_HEADERS, body, undefined, undefined, parseStructuredSource('json:missing', '--structured-from'))).toEqual({ text: JSON.stringify(JSON.parse(body.toString())) });
  });

  it('takes the structured value from the last streamed event that has it', () => {
    const sse = 'event: delta\ndata: {"text":"Hel"}\n\nevent: delta\ndata: {"text":"lo"}\n\nevent: final\ndata: {"reply":"Hello","triage":{"urgency":"high"}}\n\n';
    const reply = replyOf('/api/chat/stream', {}, undefined, [{ offsetMs: 0, data: sse }], undefined, parseStructuredSource('json:/triage', '--structured-from'));
    expect(reply.structured).toEqual({ urgency: 'high' });
  });

  it('refuses a source that is not JSON', () => {
    expect(() => parseStructuredSource('header:x-triage', '--structured-from')).toThrow(/not a JSON source/);
  });
});
