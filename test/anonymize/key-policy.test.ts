import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnonymizer, loadKey, loadPolicy } from '../../src/anonymize/index.ts';
import { HarnessError } from '../../src/errors.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rehearsal-key-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<HarnessError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HarnessError);
  return err as HarnessError;
}

describe('loadKey', () => {
  it('reads hex or base64 from a key file, then the environment', async () => {
    const hex = 'ab'.repeat(32);
    await writeFile(join(dir, 'hex.key'), `${hex}\n`);
    await writeFile(join(dir, 'b64.key'), Buffer.alloc(32, 5).toString('base64'));
    expect((await loadKey({ keyFile: join(dir, 'hex.key'), env: {} })).toString('hex')).toBe(hex);
    expect(await loadKey({ keyFile: join(dir, 'b64.key'), env: {} })).toEqual(Buffer.alloc(32, 5));
    expect((await loadKey({ env: { REHEARSAL_ANON_KEY: hex } })).toString('hex')).toBe(hex);
  });

  it('refuses a missing key with a hint naming every way to give one', async () => {
    const err = await rejection(loadKey({ env: {} }));
    expect(err.code).toBe('ANONYMIZE');
    expect(err.hint).toMatch(/--key-file/);
    expect(err.hint).toMatch(/REHEARSAL_ANON_KEY/);
    expect(err.hint).toMatch(/--ephemeral-key/);
  });

  it('refuses short keys and unreadable files; makes a random key only on request', async () => {
    await writeFile(join(dir, 'short.key'), 'abcd');
    expect((await rejection(loadKey({ keyFile: join(dir, 'short.key'), env: {} }))).message).toMatch(/short\.key/);
    expect((await rejection(loadKey({ keyFile: join(dir, 'nope.key'), env: {} }))).message).toMatch(/nope\.key/);
    const a = await loadKey({ env: {}, ephemeral: true });
    const b = await loadKey({ env: {}, ephemeral: true });
    expect(a).toHaveLength(32);
    expect(a.equals(b)).toBe(false);
  });

  it('exposes a key fingerprint, never the key', () => {
    const key = Buffer.alloc(32, 1);
    const a = createAnonymizer({ key });
    expect(a.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(key.toString('hex')).not.toContain(a.keyId);
    expect(createAnonymizer({ key: Buffer.alloc(32, 2) }).keyId).not.toBe(a.keyId);
  });
});

describe('loadPolicy', () => {
  it('loads a valid YAML policy', async () => {
    const path = join(dir, 'ok.yaml');
    await writeFile(
      path,
      ['id: acme/v3', 'rules:', '  - name: account_id', "    pattern: 'ACC-\\d{6}'", 'fields:', '  - path: customer.loyalty_id', '    name: loyalty', '    kind: secret', 'allow:', '  - support@acme.com', ''].join('\n'),
    );
    const p = await loadPolicy(path);
    expect(p.id).toBe('acme/v3');
    expect(p.rules[0]?.pattern.source).toBe('ACC-\\d{6}');
    expect(p.fields[0]).toEqual({ name: 'loyalty', kind: 'secret', segments: ['customer', 'loyalty_id'] });
    expect(p.allow.has('support@acme.com')).toBe(true);
  });

  it('names the file and the path of each problem, with a hint', async () => {
    const path = join(dir, 'bad.yaml');
    await writeFile(path, 'id: x\nrules:\n  - name: Bad-Name\n    pattern: a\nextra: 1\n');
    const err = await rejection(loadPolicy(path));
    expect(err.code).toBe('CONFIG');
    expect(err.message).toContain(path);
    expect(err.message).toMatch(/rules\.0\.name/);
    expect(err.message).toMatch(/extra/);
    expect(err.hint).toMatch(/docs\/anonymization\.md/);
    await writeFile(path, 'id: x\nrules:\n  - name: ok\n    pattern: "a("\n');
    expect((await rejection(loadPolicy(path))).message).toMatch(/rules\.0\.pattern/);
    await writeFile(path, 'id: [unclosed\n');
    expect((await rejection(loadPolicy(path))).message).toMatch(/not valid YAML/);
  });
});
