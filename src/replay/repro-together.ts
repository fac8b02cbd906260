import { HarnessError } from '../errors.ts';
import type { InstanceData } from '../journal/journal-reader.ts';
import type { Finding } from '../model/index.ts';
import type { Clock } from '../util/clock.ts';
import { callKey } from './answer-order.ts';
import { instanceOf, replayMembers, type LoadedRun, type ReplayedMembers, type ReproMember } from './repro.ts';

/** Which instances of a run to replay together, and how often to try. */
export interface TogetherRequest {
  loaded: LoadedRun;
  /** The instance whose findings should reproduce (a leak's victim). */
  instance: string;
  /** The instances replayed alongside it (a leak's owner). */
  with: readonly string[];
  /** Where each attempt's run directory is created. */
  outDir: string;
  /** Attempts at most (≥ 1); the first that reproduces every expected finding ends the repro. */
  repeat: number;
  clock?: Clock;
  /** Called after each attempt (the CLI prints its trace). */
  onAttempt?(attempt: TogetherAttempt): void;
}

/** One original finding and the repro finding that shows it again, if any. */
export interface FindingMatch {
  original: Finding;
  found: Finding | undefined;
  /**
   * The leak came back between the same two instances at the same turn, but the other way
   * round: the owner saw the victim's identities, because the other session reached the
   * shared state first this time.
   */
  reversed: boolean;
}

/** One replay of the instances together. */
export interface TogetherAttempt {
  /** 1-based. */
  attempt: number;
  replay: ReplayedMembers;
  /** Original instance id → the id it had in this attempt. */
  idOf: ReadonlyMap<string, string>;
  /** Each repro instance's journal data, in member order (the named instance first). */
  members: InstanceData[];
  matches: FindingMatch[];
  /** Every expected finding came back, some perhaps reversed (false when none was expected). */
  reproduced: boolean;
  /** Every expected finding came back exactly (no leak reversed). */
  exact: boolean;
}

export interface TogetherResult {
  /** The named instance's original findings these instances can reproduce: leaks only when their owner is replayed too. */
  expected: Finding[];
  attempts: TogetherAttempt[];
  /** The first attempt (1-based) that reproduced every expected finding exactly; undefined when none did. */
  reproducedOn: number | undefined;
  /** Without an exact attempt: the first that reproduced them with a leak reversed. */
  reversedOn: number | undefined;
}

/**
 * Replays several instances of a finished run together — a leak needs its owner's session
 * interleaved with the victim's — and checks whether the named instance's findings come back.
 *
 * Design note: each instance keeps its seed key, so identities, fault schedule and dependency
 * answers are those of the run. Timing is what made the sessions cross, so it is kept too:
 * every turn is due at its original `sentAt` relative to the earliest send among the
 * instances (never before the instance's own previous reply), instances due together start in
 * their original order, and the dependency answers keep the run's order across instances
 * (`AnswerOrder`: never sooner than in the run, and after the other instances' earlier
 * answers). A crossing window can be a millisecond wide while an unloaded staging app drifts by
 * tens; ordering answers is what puts the sessions back in the same race. What it cannot fix is
 * the app's own scheduling between answers: a
 * leak may come back reversed, the owner seeing the victim's identities. That still shows the
 * two sessions crossing at that turn, so it counts as reproduced, and says so; `repeat` retries
 * in a fresh environment (a fresh app process: no state carried between attempts) until every
 * expected finding comes back exactly.
 */
export async function reproduceTogether(request: TogetherRequest): Promise<TogetherResult> {
  const names = [request.instance, ...new Set(request.with)];
  if (request.with.length === 0) throw new HarnessError('USAGE', `no instance to replay together with ${request.instance}`, { hint: 'name one with --with <instance>' });
  if (request.with.includes(request.instance)) {
    throw new HarnessError('USAGE', `--with ${request.instance} names the instance being reproduced`, { hint: 'name another instance of the run, e.g. the owner in a leakage finding' });
  }
  if (!Number.isInteger(request.repeat) || request.repeat < 1) throw new HarnessError('USAGE', `--repeat ${request.repeat} is not a positive whole number`, { hint: '--repeat 3 tries up to three times' });
  const originals = names.map((name) => instanceOf(request.loaded, name));
  const earliest = Math.min(...originals.flatMap((o) => o.data.turns.map((t) => t.sentAt)));
  const members: ReproMember[] = originals.map((o) => ({
    recorded: o.recorded,
    clone: o.data.start.clone,
    variant: o.data.start.variant,
    turnOffsets: offsetsOf(o.data, earliest),
    answerOffsets: answerOffsetsOf(o.data, earliest),
  }));
  const expected = expectedFindings(request.loaded.run.findings, request.instance, new Set(names));

  const attempts: TogetherAttempt[] = [];
  for (let attempt = 1; attempt <= request.repeat; attempt++) {
    const replay = await replayMembers({ scenario: request.loaded.scenario, members, outDir: request.outDir, ...(request.clock ? { clock: request.clock } : {}) });
    const idOf = new Map(names.map((name, i) => [name, replay.instances[i] as string]));
    const matches = expected.map((original) => matchOf(original, replay.findings, idOf));
    const result: TogetherAttempt = {
      attempt,
      replay,
      idOf,
      members: replay.instances.map((id) => replay.run.instances.get(id) as InstanceData),
      matches,
      reproduced: matches.length > 0 && matches.every((m) => m.found !== undefined),
      exact: matches.length > 0 && matches.every((m) => m.found !== undefined && !m.reversed),
    };
    attempts.push(result);
    request.onAttempt?.(result);
    // Nothing expected: one replay shows what there is; retrying cannot "reproduce" more.
    if (result.exact || expected.length === 0) break;
  }
  const exact = attempts.find((a) => a.exact)?.attempt;
  return { expected, attempts, reproducedOn: exact, reversedOn: exact === undefined ? attempts.find((a) => a.reproduced)?.attempt : undefined };
}

/** Each turn's original send time relative to `earliest`, by turn index (holes where a turn never ran). */
function offsetsOf(data: InstanceData, earliest: number): number[] {
  const offsets: number[] = [];
  for (const turn of data.turns) offsets[turn.turn] = turn.sentAt - earliest;
  return offsets;
}

/**
 * When each of the instance's dependency calls began to be answered in the run, relative to
 * `earliest`: a call event's `t` is when its answer ended, and a streamed answer began its
 * last chunk's offset earlier.
 */
function answerOffsetsOf(data: InstanceData, earliest: number): Map<string, number> {
  const offsets = new Map<string, number>();
  for (const call of data.calls) {
    const streamed = call.response?.chunks?.at(-1)?.offsetMs ?? 0;
    offsets.set(callKey(call.turn, call.dependency, call.callIndex), call.t - streamed - earliest);
  }
  return offsets;
}

/** The leak's owner as the leakage detector records it. */
export function ownerOf(finding: Finding): string | undefined {
  const owner = finding.evidence.owner;
  return finding.class === 'leakage' && typeof owner === 'string' ? owner : undefined;
}

function expectedFindings(findings: readonly Finding[], instance: string, replayed: ReadonlySet<string>): Finding[] {
  return findings.filter((f) => {
    if (f.sessionInstance !== instance) return false;
    const owner = ownerOf(f);
    return owner === undefined ? f.class !== 'leakage' : replayed.has(owner);
  });
}

function matchOf(original: Finding, findings: readonly Finding[], idOf: ReadonlyMap<string, string>): FindingMatch {
  const found = findings.find((f) => sameFinding(original, f, idOf));
  if (found) return { original, found, reversed: false };
  const owner = ownerOf(original);
  const reversed = owner === undefined ? undefined : findings.find((f) => f.class === 'leakage' && f.turn === original.turn && f.sessionInstance === idOf.get(owner) && ownerOf(f) === idOf.get(original.sessionInstance));
  return { original, found: reversed, reversed: reversed !== undefined };
}

/** Same class, instance and turn — and for a leak, the same owner — under the repro's instance ids. */
function sameFinding(original: Finding, found: Finding, idOf: ReadonlyMap<string, string>): boolean {
  if (found.class !== original.class || found.turn !== original.turn || found.sessionInstance !== idOf.get(original.sessionInstance)) return false;
  const owner = ownerOf(original);
  return owner === undefined || ownerOf(found) === idOf.get(owner);
}
