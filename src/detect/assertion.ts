import { z } from 'zod';
import { HarnessError } from '../errors.ts';
import type { Assertion } from '../scenario/schema.ts';
import type { CallEvent, TurnEvent } from '../model/index.ts';
import type { Detector, DetectorContext, FindingDraft, ObservedInstance } from './detector.ts';
import { REFUSAL_PHRASES, phrasesIn } from './phrases.ts';
import { structuredOf } from './schema-drift.ts';

/**
 * assertion — the scenario's `assertions`, checked on every turn they select (`turns`, and
 * `when`: a regex on the user input naming the prompt family). Text checks are
 * case-insensitive; `jsonSchema` validates the structured output with zod's JSON Schema
 * import; `toolCalled` looks at the tool calls the model asked for and the tool endpoints
 * the app called; `refusal` uses the multilingual refusal phrase list.
 */
export function createAssertionDetector(context: DetectorContext): Detector {
  const assertions = context.scenario.assertions.map(compile);
  const drafts: FindingDraft[] = [];

  function observe({ id, data }: ObservedInstance): void {
    for (const turn of data.turns) {
      const calls = data.calls.filter((c) => c.turn === turn.turn);
      for (const a of assertions) {
        if (!a.applies(turn)) continue;
        const failures = a.check(turn, calls);
        if (failures.length === 0) continue;
        drafts.push({
          instance: id,
          turn: turn.turn,
          severity: a.spec.severity,
          key: `assert:${a.spec.name}`,
          title: `turn ${turn.turn}: assertion "${a.spec.name}" failed: ${failures[0]}`,
          evidence: { summary: `Assertion "${a.spec.name}" failed on turn ${turn.turn}: ${failures.join('; ')}.`, assertion: a.spec.name, failures, reply: turn.reply.text.slice(0, 500) },
        });
      }
    }
  }

  return { observe, finish: () => drafts };
}

interface CompiledAssertion {
  spec: Assertion;
  applies(turn: TurnEvent): boolean;
  check(turn: TurnEvent, calls: readonly CallEvent[]): string[];
}

function regexOf(source: string, assertion: string, field: string): RegExp {
  try {
    return new RegExp(source, 'iu');
  } catch (cause) {
    throw new HarnessError('CONFIG', `assertion "${assertion}": ${field} ${JSON.stringify(source)} is not a valid regular expression`, { cause, hint: 'use JavaScript regex syntax without slashes' });
  }
}

function compile(spec: Assertion): CompiledAssertion {
  const when = spec.when === undefined ? undefined : regexOf(spec.when, spec.name, 'when');
  const regex = spec.regex === undefined ? undefined : regexOf(spec.regex, spec.name, 'regex');
  let schema: z.ZodType | undefined;
  if (spec.jsonSchema !== undefined) {
    try {
      schema = z.fromJSONSchema(spec.jsonSchema as Parameters<typeof z.fromJSONSchema>[0]);
    } catch (cause) {
      throw new HarnessError('CONFIG', `assertion "${spec.name}": jsonSchema cannot be used: ${cause instanceof Error ? cause.message : String(cause)}`, { cause, hint: 'give a JSON Schema (draft 2020-12 or 7) object' });
    }
  }
  return {
    spec,
    applies: (turn) => (spec.turns === undefined || spec.turns.includes(turn.turn)) && (when === undefined || when.test(turn.input)),
    check(turn, calls) {
      const text = turn.reply.text;
      const lower = text.toLowerCase();
      const failures: string[] = [];
      for (const s of spec.mustInclude ?? []) if (!lower.includes(s.toLowerCase())) failures.push(`reply lacks "${s}"`);
      for (const s of spec.mustNotInclude ?? []) if (lower.includes(s.toLowerCase())) failures.push(`reply contains "${s}"`);
      if (regex && !regex.test(text)) failures.push(`reply does not match /${spec.regex}/`);
      if (schema) {
        const value = structuredOf(turn.reply.structured, text);
        const result = schema.safeParse(value);
        if (value === undefined) failures.push('no structured output to check against the JSON Schema');
        else if (!result.success) failures.push(`structured output violates the JSON Schema: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join(', ')}`);
      }
      const tools = toolsCalled(calls);
      if (spec.toolCalled !== undefined && !tools.has(spec.toolCalled)) failures.push(`tool ${spec.toolCalled} was not called (called: ${[...tools].join(', ') || 'none'})`);
      if (spec.toolNotCalled !== undefined && tools.has(spec.toolNotCalled)) failures.push(`tool ${spec.toolNotCalled} was called`);
      if (spec.refusal !== undefined) {
        const refused = phrasesIn(text, REFUSAL_PHRASES);
        if (spec.refusal && refused.length === 0) failures.push('reply does not refuse');
        if (!spec.refusal && refused.length > 0) failures.push(`reply refuses ("${refused[0]}")`);
      }
      return failures;
    },
  };
}

/** Tools the model asked for in the turn, and tool endpoints the app called. */
function toolsCalled(calls: readonly CallEvent[]): Set<string> {
  const names = new Set<string>();
  for (const call of calls) {
    if (call.kind === 'tool') names.add(call.name);
    for (const message of call.llm?.output ?? []) for (const t of message.toolCalls ?? []) names.add(t.name);
  }
  return names;
}
