/**
 * Anonymization policy files (YAML): an id recorded in the archive manifest, extra regex
 * rules, JSON field rules and an allow-list. See docs/anonymization.md.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { HarnessError, errorMessage } from '../errors.ts';

const RuleName = z.string().regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and _ (it becomes custom:<name>)');
const Kind = z.enum(['identity', 'secret']).default('identity');

export const PolicyFile = z
  .object({
    id: z.string().min(1),
    rules: z
      .array(z.object({ name: RuleName, pattern: z.string().min(1), kind: Kind, flags: z.string().regex(/^[imsu]*$/).optional() }).strict())
      .default([]),
    fields: z.array(z.object({ path: z.string().min(1), name: RuleName, kind: Kind }).strict()).default([]),
    allow: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type PolicyFile = z.infer<typeof PolicyFile>;

/** A policy ready to apply: patterns compiled, field paths split. */
export interface Policy {
  id: string;
  rules: Array<{ name: string; kind: 'identity' | 'secret'; pattern: RegExp }>;
  fields: Array<{ name: string; kind: 'identity' | 'secret'; segments: string[] }>;
  /** Exact values never replaced (compared case-insensitively). */
  allow: Set<string>;
}

export const BUILTIN_POLICY_ID = 'builtin/v1';

export const builtinPolicy = (): Policy => ({ id: BUILTIN_POLICY_ID, rules: [], fields: [], allow: new Set() });

/** Validates and compiles a parsed policy document; `source` names it in errors. */
export function compilePolicy(doc: unknown, source: string): Policy {
  const parsed = PolicyFile.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new HarnessError('CONFIG', `invalid anonymization policy ${source}: ${issues}`, {
      hint: 'a policy has `id`, optional `rules` [{name, pattern, kind}], `fields` [{path, name, kind}] and `allow` [values]; see docs/anonymization.md',
    });
  }
  const p = parsed.data;
  return {
    id: p.id,
    rules: p.rules.map((r, i) => {
      try {
        return { name: r.name, kind: r.kind, pattern: new RegExp(r.pattern, `g${r.flags ?? ''}`) };
      } catch (err) {
        throw new HarnessError('CONFIG', `invalid anonymization policy ${source}: rules.${i}.pattern: ${errorMessage(err)}`, {
          hint: 'patterns are JavaScript regular expressions; keep quantifiers bounded ({1,32}) so redaction stays linear',
        });
      }
    }),
    fields: p.fields.map((f) => ({ name: f.name, kind: f.kind, segments: f.path.replace(/^\$\.?/, '').split('.') })),
    allow: new Set(p.allow.map((v) => v.toLowerCase())),
  };
}

/** Reads, validates and compiles a YAML policy file. */
export async function loadPolicy(path: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new HarnessError('CONFIG', `cannot read anonymization policy ${path}: ${errorMessage(err)}`, {
      hint: 'check the --policy path',
      cause: err,
    });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new HarnessError('CONFIG', `anonymization policy ${path} is not valid YAML: ${errorMessage(err)}`, {
      hint: 'fix the YAML syntax at the reported line',
      cause: err,
    });
  }
  return compilePolicy(doc, path);
}

/** Whether a field rule's trailing segments match a value's path (`*` matches any one segment). */
export function fieldRuleMatches(segments: readonly string[], path: readonly string[]): boolean {
  if (segments.length > path.length) return false;
  const offset = path.length - segments.length;
  return segments.every((s, i) => s === '*' || s === path[offset + i]);
}
