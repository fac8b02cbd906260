import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { HarnessError } from '../errors.ts';
import {
  JournalEvent,
  type CallEvent,
  type Finding,
  type RunEndEvent,
  type RunStartEvent,
  type SessionEndEvent,
  type SessionStartEvent,
  type TurnEvent,
  type WarmUpEvent,
} from '../model/index.ts';

/** Everything one session instance did, gathered from the journal. */
export interface InstanceData {
  start: SessionStartEvent;
  /** Sorted by turn index. */
  turns: TurnEvent[];
  /** Sorted by time. */
  calls: CallEvent[];
  end: SessionEndEvent | undefined;
}

/** A run journal, grouped per instance. Instances are ordered by instance id (stable). */
export interface RunData {
  start: RunStartEvent;
  /** Warm-ups before t = 0, one per process that ran (resumed parts and merged shards add theirs). */
  warmUps: WarmUpEvent[];
  instances: Map<string, InstanceData>;
  /** Calls no session instance could be attributed to. */
  unattributedCalls: CallEvent[];
  findings: Finding[];
  end: RunEndEvent | undefined;
}

/**
 * Reads a journal file. A torn last line (the process was killed mid-write) is ignored;
 * any other malformed line is an error naming the file and line.
 */
export async function readJournal(path: string): Promise<JournalEvent[]> {
  const events: JournalEvent[] = [];
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let lineNo = 0;
  let pendingError: HarnessError | undefined;
  try {
    for await (const line of lines) {
      lineNo++;
      if (pendingError) throw pendingError;
      if (line.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        // Only tolerable as the very last line: remember and fail if another line follows.
        pendingError = new HarnessError('IO', `run journal ${path} line ${lineNo} is not JSON`, {
          hint: 'the journal is append-only JSONL; was it edited by hand?',
        });
        continue;
      }
      const result = JournalEvent.safeParse(parsed);
      if (!result.success) {
        throw new HarnessError('SCHEMA', `run journal ${path} line ${lineNo}: ${result.error.issues[0]?.message ?? 'invalid event'}`, {
          hint: 'the journal was written by another rehearsal version or edited by hand',
        });
      }
      events.push(result.data);
    }
  } catch (err) {
    if (err instanceof HarnessError) throw err;
    throw new HarnessError('IO', `cannot read run journal ${path}`, { cause: err, hint: 'pass a run directory that holds journal.jsonl' });
  }
  return events;
}

/** Groups journal events per instance. Throws when the journal has no run-start. */
export function groupJournal(events: Iterable<JournalEvent>, source = 'journal'): RunData {
  let start: RunStartEvent | undefined;
  let end: RunEndEvent | undefined;
  const instances = new Map<string, InstanceData>();
  const unattributedCalls: CallEvent[] = [];
  const findings: Finding[] = [];
  const warmUps: WarmUpEvent[] = [];
  const pendingCalls: CallEvent[] = [];
  for (const ev of events) {
    switch (ev.type) {
      case 'run-start':
        start ??= ev;
        break;
      case 'warm-up':
        warmUps.push(ev);
        break;
      case 'run-end':
        end = ev;
        break;
      case 'session-start':
        instances.set(ev.instance, { start: ev, turns: [], calls: [], end: undefined });
        break;
      case 'turn':
        instances.get(ev.instance)?.turns.push(ev);
        break;
      case 'call':
        pendingCalls.push(ev);
        break;
      case 'session-end': {
        const data = instances.get(ev.instance);
        if (data) data.end = ev;
        break;
      }
      case 'finding':
        findings.push(ev.finding);
        break;
    }
  }
  if (!start) throw new HarnessError('SCHEMA', `${source} has no run-start event`, { hint: 'is this a rehearsal run journal?' });
  for (const call of pendingCalls) {
    const data = call.instance === null ? undefined : instances.get(call.instance);
    if (data) data.calls.push(call);
    else unattributedCalls.push(call);
  }
  const sorted = new Map([...instances.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  for (const data of sorted.values()) {
    data.turns.sort((a, b) => a.turn - b.turn);
    data.calls.sort((a, b) => a.t - b.t);
  }
  return { start, warmUps, instances: sorted, unattributedCalls, findings, end };
}
