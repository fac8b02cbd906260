/**
 * Real recordings of the demo support assistant for report tests, picked so every shard of a
 * `--shard i/n` run gets some: per shard, one long session that the `history-truncation`
 * defect turns into context_loss findings (turns 3 and 4) and one short session that stays clean.
 */
import type { Session } from '../../src/model/index.ts';
import { shardOf } from '../../src/replay/index.ts';
import { customerWithOrder, recordAnonymized } from '../detect/e2e/demo-recording.ts';

function longInputs(index: number): string[] {
  const customer = customerWithOrder(index);
  return [
    `Hi, I'm ${customer.name}, my email is ${customer.email} and my order is ${customer.orderId}`,
    'ok',
    'and how long does shipping usually take?',
    'thanks',
    'what did I say my email was?',
  ];
}

const SHORT_INPUTS = ['hello, where can I see my invoices?', 'thanks'];

/** Session ids of the form `<prefix>-<n>`, the first `perShard` of each of `shards` shards. */
export function idsPerShard(prefix: string, shards: number, perShard: number): string[][] {
  const out: string[][] = Array.from({ length: shards }, () => []);
  for (let n = 0; out.some((ids) => ids.length < perShard) && n < 10_000; n++) {
    const id = `${prefix}-${n}`;
    const ids = out[shardOf(id, shards) - 1] as string[];
    if (ids.length < perShard) ids.push(id);
  }
  return out;
}

/** Records, for each of `shards` shards, one long (context-losing) and one short demo session. */
export async function recordShardedDemoSessions(shards: number): Promise<Session[]> {
  const longIds = idsPerShard('long', shards, 1).flat();
  const shortIds = idsPerShard('short', shards, 1).flat();
  return Promise.all([
    ...longIds.map((id, i) => recordAnonymized(id, longInputs(i))),
    ...shortIds.map((id) => recordAnonymized(id, SHORT_INPUTS)),
  ]);
}
