import type { InstanceData } from '../journal/journal-reader.ts';
import type { SchemaDriftOptions } from '../scenario/schema.ts';
import type { Detector, DetectorContext, FindingDraft, ObservedInstance } from './detector.ts';
import type { z } from 'zod';

type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';

/**
 * schema_drift — structured output whose keys or types differ from the recording's
 * (`urgency` became `priority`).
 *
 * Design note: values are never compared (a model may rightly answer `high` instead of
 * `medium`); only the shape is: every path (`triage.urgency`, `items[].sku`) with its JSON
 * type. `null` is compatible with any type (an optional field left empty). A path missing and
 * a sibling path added with the same type is reported as a rename. Paths whose shape differs
 * between two clean replays are noise and ignored, as are `ignorePaths`.
 */
export function createSchemaDriftDetector(context: DetectorContext, options: z.infer<typeof SchemaDriftOptions>): Detector {
  const drafts: FindingDraft[] = [];
  const ignored = new Set(options.ignorePaths);

  function observe({ id, data, recorded }: ObservedInstance): void {
    const noise = context.noise(recorded.id);
    for (const turn of data.turns) {
      const recordedTurn = recorded.turns[turn.turn];
      if (!recordedTurn || turn.status >= 400 || turn.error !== undefined) continue;
      const expected = structuredOf(recordedTurn.output.structured, recordedTurn.output.text);
      if (expected === undefined) continue;
      const actual = structuredOf(turn.reply.structured, turn.reply.text);
      const want = shapeOf(expected);
      const got = actual === undefined ? new Map<string, JsonType>() : shapeOf(actual);
      const stable = (path: string): boolean => !ignored.has(path) && !noise.varies((inst) => pathType(inst, turn.turn, path));
      const missing = [...want.keys()].filter((p) => !got.has(p) && stable(p));
      const added = [...got.keys()].filter((p) => !want.has(p) && stable(p));
      const retyped = [...want].filter(([p, t]) => {
        const g = got.get(p);
        return g !== undefined && g !== t && g !== 'null' && t !== 'null' && stable(p);
      }).map(([path, was]) => ({ path, was, now: got.get(path) as JsonType }));
      if (missing.length === 0 && added.length === 0 && retyped.length === 0) continue;
      const renamed = pairRenames(missing, added, want, got);
      const headline = actual === undefined
        ? 'no structured output where the recording had one'
        : renamed[0] ? `\`${renamed[0].from}\` became \`${renamed[0].to}\``
        : retyped[0] ? `\`${retyped[0].path}\` changed from ${retyped[0].was} to ${retyped[0].now}`
        : missing[0] ? `\`${missing[0]}\` is missing` : `unexpected \`${added[0]}\``;
      drafts.push({
        instance: id,
        turn: turn.turn,
        severity: 'high',
        key: 'shape',
        title: `turn ${turn.turn} structured output: ${headline}`,
        evidence: {
          summary: `The structured output of turn ${turn.turn} does not have the recorded shape: ${[renamed.length > 0 && `renamed ${renamed.map((r) => `${r.from} → ${r.to}`).join(', ')}`, missing.length > 0 && `missing ${missing.join(', ')}`, added.length > 0 && `added ${added.join(', ')}`, retyped.length > 0 && `retyped ${retyped.map((r) => `${r.path} ${r.was} → ${r.now}`).join(', ')}`].filter(Boolean).join('; ')}.`,
          missing,
          added,
          renamed,
          retyped,
          recordedKeys: [...want.keys()],
          observedKeys: [...got.keys()],
        },
      });
    }
  }

  return { observe, finish: () => drafts };
}

/** The turn's structured output, or JSON found inside its text. */
export function structuredOf(structured: unknown, text: string): unknown {
  if (structured !== undefined && structured !== null) return structured;
  const start = text.search(/[{[]/);
  if (start < 0) return undefined;
  for (let end = text.length; end > start; end = Math.max(text.lastIndexOf('}', end - 1), text.lastIndexOf(']', end - 1))) {
    if (end < 0) break;
    try {
      return JSON.parse(text.slice(start, end + 1)) as unknown;
    } catch {
      // try a shorter candidate
    }
  }
  return undefined;
}

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'boolean' || t === 'object' ? t : 'null';
}

/** Every path of a JSON value with its type; array elements share the path `name[]`. */
export function shapeOf(value: unknown, path = '', out = new Map<string, JsonType>()): Map<string, JsonType> {
  const type = typeOf(value);
  if (path !== '') {
    const prev = out.get(path);
    if (prev === undefined || prev === 'null') out.set(path, type);
  }
  if (type === 'object') for (const [k, v] of Object.entries(value as Record<string, unknown>)) shapeOf(v, path === '' ? k : `${path}.${k}`, out);
  if (type === 'array') for (const item of value as unknown[]) shapeOf(item, `${path}[]`, out);
  return out;
}

function pathType(instance: InstanceData, turn: number, path: string): string | null {
  const event = instance.turns.find((t) => t.turn === turn);
  if (!event) return null;
  const value = structuredOf(event.reply.structured, event.reply.text);
  return value === undefined ? null : (shapeOf(value).get(path) ?? null);
}

function parentOf(path: string): string {
  const at = path.lastIndexOf('.');
  return at < 0 ? '' : path.slice(0, at);
}

function pairRenames(missing: string[], added: string[], want: Map<string, JsonType>, got: Map<string, JsonType>): Array<{ from: string; to: string }> {
  const pairs: Array<{ from: string; to: string }> = [];
  const used = new Set<string>();
  for (const from of missing) {
    const to = added.find((a) => !used.has(a) && parentOf(a) === parentOf(from) && got.get(a) === want.get(from));
    if (to === undefined) continue;
    used.add(to);
    pairs.push({ from, to });
  }
  return pairs;
}
