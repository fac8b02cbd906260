import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findCustomerByEmail, findOrder } from '../../../examples/support-assistant/customer-dataset.ts';
import { driveSessions, type DrivenTurn } from '../../../examples/support-assistant/drive-sessions.ts';
import { generateSessions } from '../../../examples/support-assistant/user-generator.ts';
import { addTypos } from '../../../examples/support-assistant/user-noise.ts';
import { rngFor } from '../../../examples/support-assistant/seeded-random.ts';
import { startStack, type Stack } from './observed-stack.ts';

function luhnValid(number: string): boolean {
  const digits = number.replace(/\D/g, '');
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function ibanValid(value: string): boolean {
  const compact = value.replace(/\s/g, '');
  const numeric = (compact.slice(4) + compact.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return BigInt(numeric) % 97n === 1n;
}

describe('generateSessions', () => {
  const sessions = generateSessions('generator-test', 400);
  const texts = sessions.flatMap((s) => s.turns.map((t) => t.text));

  test('is deterministic per seed, and a session does not depend on the count', () => {
    expect(generateSessions('generator-test', 400)).toEqual(sessions);
    expect(generateSessions('generator-test', 5)).toEqual(sessions.slice(0, 5));
    expect(generateSessions('other-seed', 5)).not.toEqual(sessions.slice(0, 5));
  });

  test('arrivals are ordered and turns carry think times', () => {
    expect(sessions[0]!.startOffsetMs).toBe(0);
    for (let i = 1; i < sessions.length; i++) expect(sessions[i]!.startOffsetMs).toBeGreaterThanOrEqual(sessions[i - 1]!.startOffsetMs);
    for (const session of sessions) {
      expect(session.turns[0]!.thinkMs).toBe(0);
      for (const turn of session.turns.slice(1)) expect(turn.thinkMs).toBeGreaterThanOrEqual(1_000);
    }
    expect(new Set(sessions.map((s) => s.id)).size).toBe(sessions.length);
  });

  test('session lengths: mostly 2–4 turns with a long tail up to 15', () => {
    const lengths = sessions.map((s) => s.turns.length);
    const typical = lengths.filter((n) => n >= 2 && n <= 4).length / lengths.length;
    expect(typical).toBeGreaterThan(0.55);
    expect(lengths.filter((n) => n >= 8).length).toBeGreaterThan(10);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(15);
  });

  test('about a fifth of sessions are in Spanish, German or French', () => {
    const other = sessions.filter((s) => s.segment.language !== 'en');
    expect(other.length / sessions.length).toBeGreaterThan(0.1);
    expect(other.length / sessions.length).toBeLessThan(0.35);
    expect(new Set(other.map((s) => s.segment.language))).toEqual(new Set(['es', 'de', 'fr']));
  });

  test('messages are messy: very short, very long, pasted blocks, back-references', () => {
    expect(texts.some((t) => t === '?')).toBe(true);
    expect(texts.some((t) => /^(ok|still broken)$/.test(t))).toBe(true);
    expect(texts.some((t) => t.length > 1_000)).toBe(true);
    expect(texts.some((t) => /\n\s+at .+:\d+:\d+\)/.test(t))).toBe(true);
    expect(texts.some((t) => /"order_id"/.test(t))).toBe(true);
    expect(texts.some((t) => /\n- /.test(t))).toBe(true);
    expect(texts.some((t) => /same order as before|what did I say my email was/i.test(t))).toBe(true);
  });

  test('typos change words but never emails or order ids', () => {
    const text = 'Hello there, where is my package? Order ORD-100027, email olivia.reid@example.org';
    for (let i = 0; i < 20; i++) {
      const messy = addTypos(text, rngFor('typos', i));
      expect(messy).not.toBe(text);
      expect(messy).toContain('ORD-100027');
      expect(messy).toContain('olivia.reid@example.org');
    }
  });

  test('identities are consistent; most customers exist in the tools dataset; PII includes valid cards and IBANs', () => {
    const known = sessions.filter((s) => s.persona.known);
    expect(known.length / sessions.length).toBeGreaterThan(0.65);
    for (const session of known) {
      expect(findCustomerByEmail(session.persona.email)?.name).toBe(session.persona.name);
      for (const id of session.persona.orderIds) expect(findOrder(id)?.customer_email).toBe(session.persona.email);
    }
    for (const session of sessions) {
      for (const turn of session.turns) {
        for (const email of turn.text.match(/[\w.+-]+@[\w.-]+\.\w+/g) ?? []) expect(email).toBe(session.persona.email);
        for (const id of turn.text.match(/ORD-\d+/g) ?? []) expect(session.persona.orderIds).toContain(id);
      }
    }
    // Four-digit groups inside an IBAN are not cards: require no group before or after.
    const cards = texts.flatMap((t) => t.match(/(?<![A-Z0-9] )\b(?:\d{4} ){3}\d{4}\b(?! [A-Z0-9])|\b\d{16}\b/g) ?? []);
    const ibans = texts.flatMap((t) => t.match(/\b[A-Z]{2}\d{2}(?: [A-Z0-9]{4})+(?: [A-Z0-9]{1,4})?/g) ?? []);
    expect(cards.length).toBeGreaterThan(3);
    expect(ibans.length).toBeGreaterThan(3);
    for (const card of cards) expect(luhnValid(card), card).toBe(true);
    for (const value of ibans) expect(ibanValid(value), value).toBe(true);
  });
});

describe('driveSessions', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack([], { latencyScale: 0.2 });
  });
  afterAll(() => stack.close());

  test('plays every turn in order per session, sessions concurrently, with a fresh traceparent per turn', async () => {
    const sessions = generateSessions('drive-test', 12);
    const seen: DrivenTurn[] = [];
    const turns = await driveSessions(stack.app.url, sessions, {
      concurrency: 4,
      speed: 0,
      headers: (session, turn) => ({ 'x-rehearsal-session': session.id, 'x-rehearsal-turn': String(turn) }),
      onTurn: (turn) => seen.push(turn),
    });
    const expected = sessions.flatMap((s) => s.turns.map((t, i) => [s.id, i, t.text]));
    expect(turns.map((t) => [t.sessionId, t.turnIndex, t.text])).toEqual(expected);
    expect(seen).toHaveLength(turns.length);
    for (const turn of turns) {
      expect(turn.error).toBeUndefined();
      expect(turn.status).toBe(200);
      expect(turn.reply!.length).toBeGreaterThan(0);
      expect(turn.triage).toHaveProperty('urgency');
    }
    const llm = stack.deps.calls.filter((c) => c.path === '/v1/chat/completions');
    const traceIds = new Set(llm.map((c) => c.headers.traceparent!.split('-')[1]));
    expect(traceIds.size).toBe(turns.length);
    expect(llm.every((c) => c.headers['x-rehearsal-session']?.startsWith('sim-'))).toBe(true);
  });

  test('records failed turns instead of throwing', async () => {
    const turns = await driveSessions('http://127.0.0.1:1', generateSessions('drive-test', 1), { concurrency: 1, speed: 0 });
    expect(turns.length).toBeGreaterThan(0);
    expect(turns.every((t) => t.status === undefined && t.error !== undefined)).toBe(true);
  });
});
