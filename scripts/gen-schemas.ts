/**
 * Writes the published JSON Schemas under docs/schema/ from the zod schemas in src/:
 *
 *   node scripts/gen-schemas.ts           # write the files
 *   node scripts/gen-schemas.ts --check   # exit 1 when a committed file differs
 *
 * `test/archive/schemas.test.ts` checks the committed files equal a fresh generation.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { FORMAT_VERSION, JOURNAL_VERSION, JournalEvent, Manifest, Session } from '../src/model/index.ts';
import { reportJsonSchema } from '../src/report/index.ts';
import { Scenario } from '../src/scenario/schema.ts';

const BASE = 'https://rehearsal.dev/schema/';
const outDir = fileURLToPath(new URL('../docs/schema/', import.meta.url));

function toSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
}

function withHeader(id: string, title: string, description: string, body: Record<string, unknown>): Record<string, unknown> {
  const { $schema, ...rest } = body;
  return { $schema: $schema ?? 'https://json-schema.org/draft/2020-12/schema', $id: `${BASE}${id}`, title, description, ...rest };
}

/** File name → schema document. */
export function generateSchemas(): Record<string, Record<string, unknown>> {
  const manifest = toSchema(Manifest, 'output');
  const session = toSchema(Session, 'output');
  delete manifest.$schema;
  delete session.$schema;
  const docs: Record<string, Record<string, unknown>> = {
    [`recording-v${FORMAT_VERSION}.schema.json`]: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: `${BASE}recording-v${FORMAT_VERSION}.schema.json`,
      title: `rehearsal recording, format ${FORMAT_VERSION}`,
      description:
        'A recording is a tar (optionally gzipped) whose first entry is manifest.json ($defs.manifest), followed by one sessions/NNNNNN.json entry per session ($defs.session). Validates either document: the manifest or a session.',
      anyOf: [{ $ref: '#/$defs/manifest' }, { $ref: '#/$defs/session' }],
      $defs: { manifest, session },
    },
    'scenario.schema.json': withHeader('scenario.schema.json', 'rehearsal scenario', 'A scenario file (scenarios/*.yaml) as written by hand, before defaults apply.', toSchema(Scenario, 'input')),
    [`journal-v${JOURNAL_VERSION}.schema.json`]: withHeader(
      `journal-v${JOURNAL_VERSION}.schema.json`,
      `rehearsal run journal event, version ${JOURNAL_VERSION}`,
      'One line of <run-dir>/journal.jsonl.',
      toSchema(JournalEvent, 'output'),
    ),
    'report.schema.json': withHeader('report.schema.json', 'rehearsal JSON report', 'report.json written by the json reporter.', reportJsonSchema()),
  };
  return docs;
}

export function serialize(doc: Record<string, unknown>): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

if (import.meta.main) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [name, doc] of Object.entries(generateSchemas())) {
    const path = `${outDir}${name}`;
    const text = serialize(doc);
    if (check) {
      const current = await readFile(path, 'utf8').catch(() => '');
      if (current !== text) {
        stale++;
        process.stderr.write(`docs/schema/${name} is stale: run node scripts/gen-schemas.ts\n`);
      }
    } else {
      await writeFile(path, text);
      process.stdout.write(`wrote docs/schema/${name}\n`);
    }
  }
  process.exitCode = stale ? 1 : 0;
}
