import {
  askedFacts,
  asksForEscalation,
  collectFacts,
  conversationTopic,
  emailsIn,
  orderIdsIn,
  refersBack,
  topicOf,
  urgencyOf,
  type Facts,
  type WireMessage,
} from './conversation-facts.ts';
import { detectLanguage } from './language.ts';
import { PHRASES, type Phrases } from './model-phrases.ts';
import { stableHash } from './seeded-random.ts';

/**
 * A deterministic rule-based stand-in for a chat model, reading the OpenAI chat-completions
 * request the app sends. It calls tools when the latest user message names an order id or an
 * email and no tool result has come back yet; otherwise it answers from the whole
 * conversation it was given — so an app that drops history gets a visibly worse answer —
 * in the customer's language. With `response_format: json_object` it returns the triage
 * JSON, using the key names the prompt asks for.
 */
export interface PlannedToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

export interface ModelDecision {
  readonly content: string | null;
  readonly toolCalls: readonly PlannedToolCall[];
  readonly finishReason: 'stop' | 'tool_calls';
}

export class ModelRequestError extends Error {}

interface ParsedRequest {
  readonly messages: readonly WireMessage[];
  readonly toolNames: ReadonlySet<string>;
  readonly jsonMode: boolean;
}

function parseRequest(body: unknown): ParsedRequest {
  if (typeof body !== 'object' || body === null) throw new ModelRequestError('request body must be a JSON object');
  const request = body as Record<string, unknown>;
  if (!Array.isArray(request.messages) || request.messages.length === 0) throw new ModelRequestError('"messages" must be a non-empty array');
  const messages = request.messages.map((raw: unknown, index): WireMessage => {
    const message = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    if (typeof message.role !== 'string') throw new ModelRequestError(`messages[${index}].role must be a string`);
    return { role: message.role, content: typeof message.content === 'string' ? message.content : '' };
  });
  const tools = Array.isArray(request.tools) ? (request.tools as unknown[]) : [];
  const toolNames = new Set(
    tools.flatMap((tool) => {
      const fn = (tool as { function?: { name?: unknown } } | null)?.function;
      return typeof fn?.name === 'string' ? [fn.name] : [];
    }),
  );
  const format = request.response_format as { type?: unknown } | undefined;
  return { messages, toolNames, jsonMode: format?.type === 'json_object' };
}

/** Decides the model's output for one chat-completions request body. */
export function decide(body: unknown): ModelDecision {
  const request = parseRequest(body);
  if (request.jsonMode) return { content: JSON.stringify(triage(request.messages)), toolCalls: [], finishReason: 'stop' };
  const lastUser = request.messages.findLastIndex((m) => m.role === 'user');
  if (lastUser === -1) return { content: PHRASES.en.confused, toolCalls: [], finishReason: 'stop' };
  const toolResultsPresent = request.messages.slice(lastUser + 1).some((m) => m.role === 'tool');
  if (!toolResultsPresent) {
    const calls = planToolCalls(request.messages, lastUser, request.toolNames);
    if (calls.length > 0) return { content: null, toolCalls: calls, finishReason: 'tool_calls' };
  }
  return { content: answer(request.messages, lastUser), toolCalls: [], finishReason: 'stop' };
}

function planToolCalls(messages: readonly WireMessage[], lastUser: number, offered: ReadonlySet<string>): PlannedToolCall[] {
  const text = messages[lastUser]?.content ?? '';
  const calls: Array<{ name: string; args: Record<string, string> }> = [];
  if (offered.has('lookup_order')) for (const orderId of [...new Set(orderIdsIn(text))].slice(0, 2)) calls.push({ name: 'lookup_order', args: { order_id: orderId } });
  if (offered.has('lookup_account')) for (const email of [...new Set(emailsIn(text))].slice(0, 2)) calls.push({ name: 'lookup_account', args: { email } });
  if (offered.has('create_ticket') && asksForEscalation(text)) {
    const facts = collectFacts(messages.slice(0, lastUser + 1));
    const args: Record<string, string> = { summary: `Customer asks for a human agent: ${text.replace(/\s+/g, ' ').slice(0, 200)}` };
    if (facts.emails[0]) args.email = facts.emails[0];
    if (facts.orderIds[0]) args.order_id = facts.orderIds[facts.orderIds.length - 1] as string;
    calls.push({ name: 'create_ticket', args });
  }
  const seed = JSON.stringify(messages);
  return calls.map((call, index) => ({
    id: `call_${stableHash(`${seed}#${index}`).toString(36)}${stableHash(`${index}#${seed}`).toString(36)}`,
    name: call.name,
    arguments: JSON.stringify(call.args),
  }));
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function describeToolResult(result: Record<string, unknown> | undefined, phrases: Phrases): string | undefined {
  if (!result) return undefined;
  if (result.status === 'resolved' && typeof result.ticket_id === 'string') return phrases.resolved(result.ticket_id);
  if (typeof result.ticket_id === 'string') return phrases.ticket(result.ticket_id);
  if (result.error === 'not_found') {
    const what = typeof result.message === 'string' ? result.message.replace(/^no (order with id|account for) /, '') : 'that';
    return phrases.notFound(what);
  }
  if (typeof result.error === 'string') {
    const message = typeof result.message === 'string' ? result.message : '';
    return phrases.unavailable(/account/i.test(message) ? 'account' : /ticket/i.test(message) ? 'ticket' : 'order');
  }
  if (typeof result.order_id === 'string' && Array.isArray(result.items)) {
    const items = (result.items as Array<{ name?: unknown }>).map((item) => String(item.name)).join(', ');
    const status = phrases.orderStatus[String(result.status)] ?? String(result.status);
    const eta = result.status === 'delivered' ? null : (result.estimated_delivery as string | null);
    return phrases.order(result.order_id, items, status, result.carrier as string | null, result.tracking_number as string | null, eta);
  }
  if (typeof result.email === 'string' && typeof result.name === 'string') {
    return phrases.account(result.name, result.email, String(result.phone ?? '—'), String(result.plan ?? ''));
  }
  return undefined;
}

function restate(text: string, facts: Facts, phrases: Phrases): string {
  const asked = askedFacts(text);
  const wanted = asked.length > 0 ? asked : (['name', 'email', 'order'] as const);
  const known: string[] = [];
  const missing: string[] = [];
  for (const fact of wanted) {
    if (fact === 'email') facts.emails[0] ? known.push(phrases.yourEmail(facts.emails[0])) : missing.push(phrases.factNames.email);
    if (fact === 'order') facts.orderIds.length > 0 ? known.push(phrases.yourOrder(facts.orderIds)) : missing.push(phrases.factNames.order);
    if (fact === 'name' && facts.name) known.push(phrases.yourName(facts.name));
    else if (fact === 'name' && asked.includes('name')) missing.push(phrases.factNames.name);
  }
  const parts: string[] = [];
  if (known.length > 0) parts.push(phrases.remembered(known));
  if (known.length === 0 || missing.length > 0) parts.push(phrases.forgot(missing[0] ?? phrases.factNames.order));
  return parts.join(' ');
}

function documentTitles(messages: readonly WireMessage[]): string[] {
  const titles: string[] = [];
  for (const message of messages) {
    if (message.role !== 'system' || !message.content.startsWith('Relevant help-center articles:')) continue;
    for (const match of message.content.matchAll(/^### (.+?) \(id: /gm)) if (match[1]) titles.push(match[1]);
  }
  return titles;
}

function answer(messages: readonly WireMessage[], lastUser: number): string {
  const text = messages[lastUser]?.content ?? '';
  const phrases = PHRASES[detectLanguage(text)];
  const facts = collectFacts(messages);
  const firstTurn = !messages.slice(0, lastUser).some((m) => m.role === 'assistant');
  const parts: string[] = [];
  const firstName = facts.name?.split(/\s+/)[0];
  if (firstName) parts.push(phrases.thanksName(firstName));
  else if (firstTurn) parts.push(phrases.hello);

  const toolLines = messages
    .slice(lastUser + 1)
    .filter((m) => m.role === 'tool')
    .map((m) => describeToolResult(parseJson(m.content), phrases))
    .filter((line): line is string => line !== undefined);
  parts.push(...toolLines);
  if (refersBack(text)) parts.push(restate(text, facts, phrases));

  const trimmed = text.trim().toLowerCase();
  const topic = topicOf(text);
  if (/^(ok(ay)?|thanks?( you)?|thx|ty|gracias|danke|merci|perfect|great|cool)[.!]*$/.test(trimmed)) parts.push(phrases.ack);
  else if (/^[?¿!.\s]+$|^(hello|hola|hallo|bonjour)\?+$/.test(trimmed)) parts.push(phrases.confused);
  else if (/still (broken|not|nothing)|doesn'?t work|sigue sin|immer noch|toujours pas/.test(trimmed)) parts.push(phrases.stillBroken);

  const userTexts = messages.filter((m) => m.role === 'user').map((m) => m.content);
  const currentTopic = topic !== 'general' ? topic : conversationTopic(userTexts);
  if (toolLines.length === 0) parts.push(phrases.topic[currentTopic]);
  const needsLookup = currentTopic === 'order_status' || currentTopic === 'shipping' || currentTopic === 'refund';
  if (toolLines.length === 0 && needsLookup && facts.orderIds.length === 0 && facts.emails.length === 0) parts.push(phrases.askForId);

  const titles = documentTitles(messages).slice(0, 2);
  if (titles.length > 0) parts.push(phrases.articles(titles));
  return parts.join(' ');
}

const SYNONYM_ROLES: Readonly<Record<string, 'name' | 'issue_type' | 'urgency'>> = {
  name: 'name', customer_name: 'name', issue_type: 'issue_type', category: 'issue_type', topic: 'issue_type', urgency: 'urgency', priority: 'urgency', severity: 'urgency',
};

/** Triage JSON with the keys the system prompt asks for (`"key" (` declarations). */
function triage(messages: readonly WireMessage[]): Record<string, unknown> {
  const facts = collectFacts(messages);
  const userTexts = messages.filter((m) => m.role === 'user').map((m) => m.content);
  const values = { name: facts.name ?? null, issue_type: conversationTopic(userTexts), urgency: urgencyOf(userTexts) };
  const instructions = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n');
  const keys = [...instructions.matchAll(/"([a-z_]+)"\s*\(/g)].map((m) => m[1] as string);
  const result: Record<string, unknown> = {};
  for (const key of keys.length > 0 ? keys : Object.keys(values)) {
    const role = SYNONYM_ROLES[key];
    if (role) result[key] = values[role];
  }
  return result;
}
