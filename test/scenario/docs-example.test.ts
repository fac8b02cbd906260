import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseScenarioText } from '../../src/scenario/load.ts';

const ROOT = join(import.meta.dirname, '../..');
const yamlBlocks = (text: string): string[] => [...text.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1] as string);

// The full example at the top of docs/scenarios.md is what people copy: it must stay a valid scenario.
it('the full scenario example in docs/scenarios.md parses and validates', async () => {
  const doc = join(ROOT, 'docs/scenarios.md');
  const [example] = yamlBlocks(await readFile(doc, 'utf8'));
  expect(example).toContain('name: nightly');
  const scenario = parseScenarioText(example as string, `${doc} (first yaml block)`);
  expect(Object.keys(scenario.dependencies)).toEqual(['llm', 'tools', 'search', 'crm']);
  expect(scenario.load.warmupRequest).toBe('/health');
});

it('every YAML snippet in the README and docs is valid YAML', async () => {
  const files = ['README.md', ...(await readdir(join(ROOT, 'docs'))).filter((n) => n.endsWith('.md')).map((n) => `docs/${n}`)];
  const broken: string[] = [];
  for (const file of files) {
    for (const block of yamlBlocks(await readFile(join(ROOT, file), 'utf8'))) {
      const errors = parseDocument(block).errors;
      if (errors.length > 0) broken.push(`${file}: ${block.split('\n')[0]} … ${errors[0]?.message.split('\n')[0]}`);
    }
  }
  expect(broken).toEqual([]);
});
