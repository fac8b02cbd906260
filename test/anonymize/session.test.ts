import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymizeSessions, createAnonymizer, scanSession } from '../../src/anonymize/index.ts';
import { isSurrogate } from '../../src/anonymize/surrogates.ts';
import { writeArchive } from '../../src/archive/index.ts';
import { Session } from '../../src/model/index.ts';
import { KEY, SEEDED, seededSession } from './fixture.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rehearsal-anon-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every form a seeded value could take in the archive bytes: raw, JSON-escaped, URL-encoded. */
function forms(value: string): string[] {
  return [...new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), value.replace(/ /g, '')])];
}

describe('anonymizeSession', () => {
  it('leaves no seeded secret or PII byte anywhere in the written archive (gunzipped)', async () => {
    const a = createAnonymizer({ key: KEY });
    const path = join(dir, 'seeded.tar.gz');
    const { sessions, stats } = anonymizeSessions([seededSession('s1'), seededSession('s2')], a);
    await writeArchive(path, sessions, { anonymization: { policyId: a.policyId, keyId: a.keyId, droppedSessions: 0 } });
    expect(stats).toMatchObject({ anonymized: 2, dropped: 0 });
    const bytes = gunzipSync(await readFile(path)).toString('utf8');
    expect(bytes).toContain('sessions/');
    for (const [name, value] of Object.entries(SEEDED)) {
      for (const form of forms(value)) expect(bytes.includes(form), `${name} (${form}) is in the archive`).toBe(false);
    }
    expect(bytes).not.toContain(KEY.toString('hex'));
  });

  it('keeps the session valid and its shape: turns, chunk boundaries and offsets, tool-call JSON', () => {
    const raw = seededSession();
    const out = createAnonymizer({ key: KEY }).anonymizeSession(raw);
    expect(Session.safeParse(out).success).toBe(true);
    const llm = out.turns[0]?.exchanges[0];
    expect(llm?.response?.chunks?.map((c) => c.offsetMs)).toEqual([120, 180, 240]);
    expect(llm?.response?.chunks?.[2]?.data).toBe('data: [DONE]\n\n');
    for (const c of llm?.response?.chunks?.slice(0, 2) ?? []) expect(() => JSON.parse(c.data.replace(/^data: /, ''))).not.toThrow();
    const args = JSON.parse(llm?.llm?.output[0]?.toolCalls?.[0]?.arguments ?? '{}') as Record<string, string>;
    expect(args.email).toMatch(/\.example$/);
    expect(args.ssn).toMatch(/^000-/);
    expect(out.turns[1]?.output.text).toMatch(/ticket is #48213/);
  });

  it('drops credential headers by name and keeps the others redacted', () => {
    const out = createAnonymizer({ key: KEY }).anonymizeSession(seededSession());
    const t0 = out.turns[0];
    expect(Object.keys(t0?.input.request?.headers ?? {}).sort()).toEqual(['content-type', 'x-user-email']);
    expect(t0?.input.request?.headers['x-user-email']).toMatch(/\.example$/);
    expect(Object.keys(t0?.exchanges[0]?.request.headers ?? {})).toEqual(['content-type']);
    expect(Object.keys(t0?.exchanges[0]?.response?.headers ?? {})).toEqual(['content-type']);
    expect(Object.keys(t0?.exchanges[1]?.request.headers ?? {})).toEqual(['x-forwarded-for']);
  });

  it('keeps identities coherent across turns and lists every replaced identity', () => {
    const out = createAnonymizer({ key: KEY }).anonymizeSession(seededSession());
    const email = /my email is (\S+) and/.exec(out.turns[0]?.input.text ?? '')?.[1] ?? '';
    expect(isSurrogate('email', email)).toBe(true);
    expect(JSON.stringify(out.turns[0]?.exchanges[1]?.response?.body)).toContain(email);
    const name = /my name is (\S+) /.exec(out.turns[0]?.input.text ?? '')?.[1] ?? '';
    expect(out.turns[1]?.input.text.startsWith(`It's ${name} again`)).toBe(true);
    const types = new Set(out.identities.map((i) => i.type));
    for (const t of ['email', 'phone', 'card', 'iban', 'ipv4', 'national_id', 'name', 'address']) expect(types, t).toContain(t);
    expect(out.identities.some((i) => i.surrogate === email)).toBe(true);
    for (const id of out.identities) expect(Object.values(SEEDED)).not.toContain(id.surrogate);
  });

  it('redacts a tool exchange named after a path carrying personal data, like the path, and keeps model ids', () => {
    const raw = seededSession();
    const turn = raw.turns[0];
    const llm = turn?.exchanges[0];
    if (!turn || !llm) throw new Error('fixture changed: no exchange in turn 0');
    const path = `/customers/${SEEDED.email}/orders`;
    turn.exchanges.push({ ...llm, kind: 'tool', name: path.slice(1), dependency: 'crm', path, request: { method: 'GET', url: `http://crm.internal${path}`, headers: {} } });
    delete turn.exchanges.at(-1)?.llm;
    const out = createAnonymizer({ key: KEY }).anonymizeSession(raw).turns[0]?.exchanges;
    expect(out?.[0]?.name).toBe('gpt-4o-mini');
    const tool = out?.at(-1);
    expect(tool?.name).not.toContain(SEEDED.email);
    // The same surrogate as in the path (which keeps URL encoding).
    expect(tool?.name).toBe(decodeURIComponent(tool?.path ?? '').slice(1));
  });

  it('is stable when anonymized twice, and the result scans clean', () => {
    const a = createAnonymizer({ key: KEY });
    const once = a.anonymizeSession(seededSession());
    const twice = createAnonymizer({ key: KEY }).anonymizeSession(once);
    expect(twice.turns).toEqual(once.turns);
    expect(new Set(twice.identities.map((i) => i.surrogate))).toEqual(new Set(once.identities.map((i) => i.surrogate)));
    expect(scanSession(once)).toEqual([]);
  });
});

describe('anonymizeSessions (fail closed)', () => {
  it('drops and counts a session whose anonymization throws, never yielding it raw', async () => {
    const a = createAnonymizer({ key: KEY });
    const broken = seededSession('broken');
    // Nesting deeper than the anonymizer accepts makes it throw, like any unexpected failure would.
    let deep: unknown = SEEDED.email;
    for (let i = 0; i < 300; i++) deep = [deep];
    (broken.turns[0] as { output: { structured?: unknown } }).output.structured = deep;
    const { sessions, stats } = anonymizeSessions([seededSession('ok-1'), broken, seededSession('ok-2')], a);
    const ids: string[] = [];
    for await (const s of sessions) ids.push(s.id);
    expect(ids).toEqual(['ok-1', 'ok-2']);
    expect(stats.anonymized).toBe(2);
    expect(stats.dropped).toBe(1);
    expect(stats.failures[0]?.session).toBe('broken');
  });
});

describe('streamed answers', () => {
  it('replaces a value split across chunks where it starts, keeping chunk count and offsets', () => {
    const raw = seededSession('split');
    const ex = raw.turns[0]?.exchanges[0];
    const delta = (content: string) => `data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\n\n`;
    ex!.response!.chunks = [
      { offsetMs: 10, data: delta('Sure, I wrote to jane.doe@') },
      { offsetMs: 20, data: delta('gmail.') },
      { offsetMs: 30, data: delta('com and used key sk-proj-Q3vX9aLm2pT8') },
      { offsetMs: 40, data: delta('wRz4YbN6cK1dF7hJ0sE5uG2iO9nM4lB. Done.') },
      { offsetMs: 50, data: 'data: [DONE]\n\n' },
    ];
    const out = createAnonymizer({ key: KEY }).anonymizeSession(raw);
    const chunks = out.turns[0]?.exchanges[0]?.response?.chunks ?? [];
    expect(chunks.map((c) => c.offsetMs)).toEqual([10, 20, 30, 40, 50]);
    const text = chunks
      .slice(0, 4)
      .map((c) => (JSON.parse(c.data.slice(6)) as { choices: Array<{ delta: { content: string } }> }).choices[0]?.delta.content)
      .join('');
    expect(text).toMatch(/^Sure, I wrote to [a-z]+\.[0-9a-f]{6}@[a-z]+\.example and used key \[secret:openai_key:[0-9a-f]{6}\]\. Done\.$/);
    const all = chunks.map((c) => c.data).join('');
    for (const leaked of ['jane.doe', 'gmail', 'Q3vX9aLm2pT8', 'wRz4YbN6cK1dF7hJ0sE5uG2iO9nM4lB']) expect(all).not.toContain(leaked);
    const email = /wrote to (\S+) and/.exec(text)?.[1] ?? '';
    expect(out.turns[0]?.input.text).toContain(email); // the same surrogate as the unsplit occurrence
  });
});
