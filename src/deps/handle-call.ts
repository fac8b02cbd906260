import type { IncomingMessage, ServerResponse } from 'node:http';
import { exchangeName, type CallEvent, type CallMatch, type ExchangeKind, type LlmConversation } from '../model/index.ts';
import type { DependencyConfig, FaultRule } from '../scenario/schema.ts';
import type { Clock } from '../util/clock.ts';
import { detectLlmFormat, parseLlmExchange } from '../wire/llm.ts';
import { attribute } from './attribution.ts';
import { CallController, type AnswerSource } from './call-controller.ts';
import { routeKey } from './candidates.ts';
import { composeFaults } from './faults/compose.ts';
import { decideFaults } from './faults/decide.ts';
import type { Handler, Outcome } from './faults/fault-kind.ts';
import { jsonReply } from './faults/reply-body.ts';
import type { AnswerHold } from './index.ts';
import type { InstanceRegistry } from './instance-registry.ts';
import { match, type MatchResult } from './matcher.ts';
import { replayAnswer } from './replay-answer.ts';
import { parseBody, readBody, safeHeaders } from './request-info.ts';
import { bodyKey } from './similarity.ts';
import type { UpstreamProxy } from './upstream-proxy.ts';

/** What every call handler shares: configuration and the server's state. */
export interface DepsRuntime {
  dependencies: Readonly<Record<string, DependencyConfig>>;
  faults: readonly FaultRule[];
  seed: string;
  clock: Clock;
  /** `clock.now()` at the start of the run: journal times are relative to it. */
  origin: number;
  registry: InstanceRegistry;
  proxy: UpstreamProxy;
  baseUrl(name: string): string;
  onCall(event: CallEvent): void;
  onWarning(message: string): void;
  holdUntil?: AnswerHold;
}

const PREFIX = /^\/_deps\/([^/?#]+)(.*)$/;

/** What the call is answered with before faults, and how the journal names that decision. */
interface Decision {
  match: CallMatch;
  terminal: Handler;
  source: AnswerSource;
  /** Whether faults may apply: calls rehearsal itself refuses (misses) get none. */
  faultable: boolean;
  name: string;
  kind: ExchangeKind;
  recordedDurationMs?: number;
}

function unmatchedReply(message: string, hint: string, nearest: string | undefined): Outcome {
  return jsonReply(502, { error: { type: 'rehearsal_unmatched', message, ...(nearest === undefined ? {} : { nearest }), hint } });
}

/**
 * One call to a virtual dependency, start to journal: route, attribute, match (or proxy),
 * decide and compose faults, answer once through the controller, report a `CallEvent`.
 */
export async function handleCall(rt: DepsRuntime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = rt.clock.now();
  const routed = PREFIX.exec(req.url ?? '/');
  if (!routed) {
    const body = { error: { type: 'rehearsal_not_a_dependency', message: `${req.method} ${req.url} is not a virtual dependency path`, hint: 'dependency base URLs look like /_deps/<name>' } };
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    return;
  }
  const dependency = decodeURIComponent(routed[1] as string);
  const path = routed[2] || '/';
  const method = (req.method ?? 'GET').toUpperCase();
  const raw = await readBody(req);
  const text = raw.toString('utf8');
  const body = parseBody(text, req.headers['content-type']);

  const who = attribute(req.headers, text, rt.registry);
  const state = who.instance === null ? undefined : rt.registry.get(who.instance);
  const turnKey = `${who.turn ?? '-'} ${dependency}`;
  const callIndex = state ? rt.registry.count(state, turnKey) : 0;
  const repeat = state ? rt.registry.count(state, `${turnKey} ${routeKey(method, path)}`) : 0;
  const config = rt.dependencies[dependency];
  const request = { url: `${config ? rt.baseUrl(dependency) : `/_deps/${dependency}`}${path}`, body };
  const llm: LlmConversation | undefined = typeof body === 'object' && body !== null && detectLlmFormat(request) ? parseLlmExchange(request) : undefined;
  const where = `${method} ${path} on dependency ${dependency} (instance ${who.instance ?? 'unattributed'}, turn ${who.turn ?? 'none'})`;
  const forward = (upstream: string): Handler => (call) => rt.proxy.forward({ dependency, upstream, method, path, headers: req.headers, body: raw, signal: call.signal });

  const decide = (): Decision => {
    const kind = config?.kind ?? (llm ? 'llm' : 'http');
    // Named as the recorder names exchanges, so `name:` fault rules also scope proxied calls.
    const name = exchangeName({ kind, dependency, path, body, model: llm?.model });
    if (!config) {
      const message = `no dependency named ${dependency} is declared (${method} ${path})`;
      const hint = `declare it under \`dependencies:\` in the scenario; declared: ${Object.keys(rt.dependencies).join(', ') || 'none'}`;
      return { match: { mode: 'unmatched', policy: 'error' }, terminal: async () => unmatchedReply(message, hint, undefined), source: 'unmatched', faultable: false, name, kind };
    }
    if (config.mode === 'proxy' && config.upstream !== undefined) {
      return { match: { mode: 'proxy', upstream: config.upstream }, terminal: forward(config.upstream), source: 'proxy', faultable: true, name, kind };
    }
    const result: MatchResult = state ? match({ turn: who.turn, method, path, repeat, key: bodyKey(body, llm) }, state.candidates.get(dependency)) : { type: 'miss' };
    if (result.type === 'hit') {
      const { candidate } = result;
      return {
        match: { mode: 'replay', exchange: { turn: candidate.turn, index: candidate.index }, reason: result.reason },
        terminal: async () => replayAnswer(candidate),
        source: 'replay',
        faultable: true,
        name: candidate.exchange.name,
        kind: config.kind ?? candidate.exchange.kind,
        recordedDurationMs: candidate.exchange.durationMs,
      };
    }
    const policy = config.unmatched;
    const nearest = result.nearest;
    const unmatched: CallMatch = { mode: 'unmatched', policy, ...(nearest ? { nearest } : {}) };
    const message = state
      ? `no recorded answer for ${where}${nearest ? '' : `: session ${state.ctx.recorded.id} recorded no call to ${dependency}`}`
      : `could not attribute ${where} to a session instance`;
    const hint = state
      ? 'the app made a call the recording does not have; see `nearest` for the closest recorded call, or set `unmatched: passthrough` with an `upstream` to forward such calls'
      : 'make the app forward x-rehearsal-session / x-rehearsal-turn (or baggage / traceparent) on its outbound calls';
    if (policy === 'passthrough' && config.upstream !== undefined) {
      return { match: unmatched, terminal: forward(config.upstream), source: 'proxy', faultable: true, name, kind };
    }
    if (policy === 'warn') rt.onWarning(`${message}${nearest ? ` — nearest: ${nearest.why}` : ''}`);
    return { match: unmatched, terminal: async () => unmatchedReply(message, hint, nearest?.why), source: 'unmatched', faultable: false, name, kind };
  };

  const decision = decide();
  const faults =
    decision.faultable && state?.ctx.faultsEnabled === true && who.turn !== null
      ? decideFaults(rt.faults, { seed: rt.seed, seedKey: state.ctx.seedKey, dependency, name: decision.name, turn: who.turn, callIndex })
      : [];
  let terminalRan = false;
  const handler = composeFaults(faults, (call) => {
    terminalRan = true;
    return decision.terminal(call);
  });
  const controller = new CallController(res, rt.clock, where);
  const outcome = await handler({ clock: rt.clock, signal: controller.signal, recordedDurationMs: decision.recordedDurationMs });
  const hold = who.instance === null ? undefined : rt.holdUntil?.({ instance: who.instance, turn: who.turn, dependency, callIndex }, controller.signal);
  if (hold) await hold.catch(() => {});
  const served = await controller.respondWith(outcome, terminalRan ? decision.source : 'fault');

  const event: CallEvent = {
    type: 'call',
    t: started - rt.origin,
    instance: who.instance,
    turn: who.turn,
    dependency,
    kind: decision.kind,
    name: decision.name,
    callIndex,
    attribution: who.attribution,
    request: { method, url: path, headers: safeHeaders(req.headers), ...(body === undefined ? {} : { body }) },
    response: served.response,
    ...(served.error ? { error: served.error } : {}),
    durationMs: Math.max(0, rt.clock.now() - started),
    ...(llm ? { llm } : {}),
    match: decision.match,
    faults,
  };
  rt.onCall(event);
}
