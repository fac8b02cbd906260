/**
 * Where a turn's structured output (a triage object, extracted fields, a tool plan) sits in the
 * app's JSON reply: `json:/<RFC 6901 pointer>` or `json:<top-level key>`. Unlike a
 * `ValueSource`, it yields any JSON value, not only scalars.
 */
import { HarnessError } from '../errors.ts';
import { getByPointer, keyPointer } from '../util/json-pointer.ts';

export interface StructuredSource {
  readonly spec: string;
  /** The value at the source in a parsed JSON body; `undefined` when absent. */
  read(body: unknown): unknown;
}

/** Parses `--structured-from json:/triage` (or `json:triage`), or throws a USAGE error naming the option. */
export function parseStructuredSource(spec: string, option: string): StructuredSource {
  const m = /^json:(.+)$/.exec(spec);
  if (!m) {
    throw new HarnessError('USAGE', `${option} ${JSON.stringify(spec)} is not a JSON source`, {
      hint: 'use json:/<pointer> (e.g. json:/triage) or json:<top-level key>',
    });
  }
  const arg = m[1] as string;
  const pointer = arg.startsWith('/') ? arg : keyPointer(arg);
  return { spec, read: (body) => getByPointer(body, pointer) };
}
