import type { FaultRule } from '../../scenario/schema.ts';
import type { FaultKind, ReplyBody } from './fault-kind.ts';
import { editBody } from './reply-body.ts';
import { replaceSseData, sseDataLines } from './sse-data.ts';

type Rule = Extract<FaultRule, { kind: 'malformed-tool-call' }>;

/**
 * Ends tool-call arguments so that they cannot parse: drops a closing brace and leaves an
 * unterminated key. Applied to the last fragment of a streamed argument, the concatenation
 * ends the same way, so the whole argument text is broken too.
 */
export function breakArguments(text: string): string {
  return `${text.replace(/\}\s*$/, '')},"`;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Breaks every tool call in a whole LLM answer, in place on a copy. OpenAI chat
 * (`choices[].message.tool_calls[].function.arguments`), OpenAI Responses (`output[]` items of
 * type `function_call`), Anthropic Messages (`content[]` `tool_use` blocks, whose `input`
 * object becomes broken argument text). Returns how many it broke.
 */
function breakWhole(answer: unknown): number {
  let broken = 0;
  if (!isObject(answer)) return 0;
  for (const choice of list(answer.choices)) {
    const message = isObject(choice) ? choice.message : undefined;
    for (const call of list(isObject(message) ? message.tool_calls : undefined)) {
      if (isObject(call) && isObject(call.function) && typeof call.function.arguments === 'string') {
        call.function.arguments = breakArguments(call.function.arguments);
        broken++;
      }
    }
  }
  for (const item of list(answer.output)) {
    if (isObject(item) && item.type === 'function_call' && typeof item.arguments === 'string') {
      item.arguments = breakArguments(item.arguments);
      broken++;
    }
  }
  for (const block of list(answer.content)) {
    if (isObject(block) && block.type === 'tool_use') {
      block.input = breakArguments(JSON.stringify(block.input ?? {}));
      broken++;
    }
  }
  return broken;
}

/** Where a streamed event carries argument text: the fragment's container and key. */
function argumentSites(event: unknown): Array<{ holder: Json; key: string }> {
  if (!isObject(event)) return [];
  const sites: Array<{ holder: Json; key: string }> = [];
  for (const choice of list(event.choices)) {
    const delta = isObject(choice) ? choice.delta : undefined;
    for (const call of list(isObject(delta) ? delta.tool_calls : undefined)) {
      if (isObject(call) && isObject(call.function) && typeof call.function.arguments === 'string') sites.push({ holder: call.function, key: 'arguments' });
    }
  }
  if (event.type === 'response.function_call_arguments.delta' && typeof event.delta === 'string') sites.push({ holder: event, key: 'delta' });
  if (event.type === 'response.function_call_arguments.done' && typeof event.arguments === 'string') sites.push({ holder: event, key: 'arguments' });
  const delta = event.delta;
  if (isObject(delta) && delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') sites.push({ holder: delta, key: 'partial_json' });
  return sites;
}

function breakStream(chunks: Extract<ReplyBody, { type: 'chunks' }>['chunks']): Extract<ReplyBody, { type: 'chunks' }>['chunks'] {
  const withArgs = sseDataLines(chunks).filter((line) => argumentSites(line.value).length > 0);
  // The last fragment decides how the assembled arguments end; `done` events repeat the whole text.
  const targets = withArgs.filter((line, i) => i === withArgs.length - 1 || (isObject(line.value) && line.value.type === 'response.function_call_arguments.done'));
  const edits = targets.map((line) => {
    for (const site of argumentSites(line.value)) site.holder[site.key] = breakArguments(String(site.holder[site.key]));
    return { chunk: line.chunk, line: line.line, text: JSON.stringify(line.value) };
  });
  return replaceSseData(chunks, edits);
}

/**
 * The model's tool-call arguments become broken JSON, in whole and streamed answers of the
 * known LLM wire formats. An answer without a tool call is left as it is.
 */
export const malformedToolCall: FaultKind<Rule, Record<string, never>> = {
  validate: () => [],
  draw: () => ({}),
  wrap: (_detail, next) => async (call) =>
    editBody(await next(call), call.clock, (body) => {
      if (body.type === 'chunks') return { type: 'chunks', chunks: breakStream(body.chunks) };
      let answer: unknown;
      try {
        answer = structuredClone(body.json) ?? JSON.parse(body.text);
      } catch {
        return body;
      }
      return breakWhole(answer) > 0 ? { type: 'whole', text: JSON.stringify(answer), json: answer } : body;
    }),
  describe: () => 'malformed tool-call arguments',
};
