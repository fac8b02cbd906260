/**
 * Hand-crafted archives for the hostile-input tests: tar-stream's packer writes whatever
 * headers we ask for (links, devices, `..` names), so each test builds exactly the attack.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';
import { FORMAT_VERSION, type Manifest, type Session } from '../../src/model/index.ts';
import { generateSessions } from '../../src/fixtures/synthetic.ts';

export type CraftHeader = Parameters<ReturnType<typeof tarPack>['entry']>[0];
export interface CraftEntry {
  header: CraftHeader;
  body?: Buffer;
}

export async function tarBytes(entries: CraftEntry[]): Promise<Buffer> {
  const pack = tarPack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const { header, body } of entries) {
    await new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (body) pack.entry({ mtime: new Date(0), ...header }, body, cb);
      else pack.entry({ mtime: new Date(0), ...header }, cb);
    });
  }
  pack.finalize();
  await collected;
  return Buffer.concat(chunks);
}

export function sessionBody(session: Session): Buffer {
  return Buffer.from(JSON.stringify(session));
}

export function manifestFor(bodies: Array<{ name: string; body: Buffer; session: Session }>, overrides: Partial<Manifest> = {}): Buffer {
  const turns = bodies.reduce((n, b) => n + b.session.turns.length, 0);
  const manifest: Manifest = {
    formatVersion: FORMAT_VERSION,
    createdAt: '2026-01-01T00:00:00.000Z',
    generator: 'craft',
    anonymization: { policyId: 'builtin/v1', droppedSessions: 0 },
    counts: { sessions: bodies.length, turns, exchanges: 0 },
    entries: bodies.map(({ name, body, session }) => ({
      name,
      sessionId: session.id,
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
      turns: session.turns.length,
    })),
    ...overrides,
  };
  return Buffer.from(JSON.stringify(manifest));
}

/** Small valid sessions with their entry names and bodies. */
export function sampleBodies(count: number, seed = 11): Array<{ name: string; body: Buffer; session: Session }> {
  return generateSessions({ seed, sessions: count, turnsMin: 1, turnsMax: 2 }).map((session, i) => ({
    name: `sessions/${String(i + 1).padStart(6, '0')}.json`,
    body: sessionBody(session),
    session,
  }));
}

/** A well-formed archive of `count` sessions as entries, ready to be tampered with. */
export function validEntries(count: number): CraftEntry[] {
  const bodies = sampleBodies(count);
  return [
    { header: { name: 'manifest.json' }, body: manifestFor(bodies) },
    ...bodies.map(({ name, body }) => ({ header: { name }, body })),
  ];
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'rehearsal-archive-'));
}

/** Writes `bytes` as `<dir>/<name>` (gzipped when the name ends in .gz). */
export async function writeCrafted(dir: string, name: string, tar: Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, name.endsWith('.gz') ? gzipSync(tar) : tar);
  return path;
}

/** Every path under `dir`, recursively, sorted: to assert nothing appeared. */
export async function listTree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).sort();
}
