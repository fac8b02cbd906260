import type { FaultKindName, FaultRule } from '../../scenario/schema.ts';
import { malformed, truncate } from './body-faults.ts';
import { hang, reset } from './connection.ts';
import type { FaultDetail, FaultKind } from './fault-kind.ts';
import { httpError } from './http-error.ts';
import { latency } from './latency.ts';
import { malformedToolCall } from './malformed-tool-call.ts';
import { retrieval } from './retrieval.ts';
import { streamCut, streamStall } from './stream-faults.ts';

type KindMap = { [K in FaultKindName]: FaultKind<Extract<FaultRule, { kind: K }>, FaultDetail> };

/** Every built-in fault kind by name. The compiler checks the map covers `FaultRule['kind']`. */
export const faultKinds = {
  latency,
  'http-error': httpError,
  hang,
  reset,
  truncate,
  malformed,
  'malformed-tool-call': malformedToolCall,
  'stream-stall': streamStall,
  'stream-cut': streamCut,
  retrieval,
} satisfies KindMap;

/**
 * The kind implementing `name`, with its rule and detail types widened: rules and details
 * come out of a discriminated union (or a journal), so the pairing is by construction.
 */
export function faultKind(name: string): FaultKind<FaultRule, FaultDetail> | undefined {
  return Object.hasOwn(faultKinds, name) ? (faultKinds[name as FaultKindName] as unknown as FaultKind<FaultRule, FaultDetail>) : undefined;
}
