import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateSchemas, serialize } from '../../scripts/gen-schemas.ts';

const schemaDir = fileURLToPath(new URL('../../docs/schema/', import.meta.url));

describe('published JSON Schemas', () => {
  it('docs/schema/ equals a fresh generation (run `node scripts/gen-schemas.ts` after changing a schema)', async () => {
    const fresh = generateSchemas();
    expect((await readdir(schemaDir)).filter((f) => f.endsWith('.schema.json')).sort()).toEqual(Object.keys(fresh).sort());
    for (const [name, doc] of Object.entries(fresh)) {
      expect(await readFile(`${schemaDir}${name}`, 'utf8'), name).toBe(serialize(doc));
    }
  });

  it('the recording schema describes manifest and session', () => {
    const recording = generateSchemas()['recording-v1.schema.json'] as { $defs: Record<string, { required?: string[] }> };
    expect(recording.$defs.manifest?.required).toEqual(expect.arrayContaining(['formatVersion', 'entries', 'anonymization']));
    expect(recording.$defs.session?.required).toEqual(expect.arrayContaining(['id', 'turns', 'segment', 'identities']));
  });
});
