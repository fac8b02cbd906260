import { CUSTOMERS } from './customer-dataset.ts';
import type { Language } from './language.ts';
import { rngFor, stableHash, type Rng } from './seeded-random.ts';
import { addTypos, cardNumber, casual, iban, pastedBlock } from './user-noise.ts';
import { PHRASEBOOKS, type FollowUpKind, type Intent, type Phrasebook } from './user-phrasebook.ts';

/**
 * Seeded simulated customers of the support assistant. Each session is drawn from its own
 * stream (`seed`, session index), so sessions are stable whatever the count.
 *
 * Shape of the traffic: ~78% of customers exist in the tools dataset (lookups succeed), the
 * rest are unknown (lookups 404); ~20% write in Spanish, German or French; most sessions have
 * 2–4 turns with a long tail to 15; messages range from "?" to pasted stack traces and
 * 1,500-character rants, with typos, back-references and payment details.
 */
export interface ScriptedTurn {
  readonly text: string;
  /** Time the customer spends before sending this turn (0 for the first). */
  readonly thinkMs: number;
}

export interface SessionSegment {
  readonly language: Language;
  readonly channel: 'web' | 'mobile' | 'email' | 'whatsapp';
  readonly plan: 'free' | 'plus' | 'business';
}

/** Who the simulated customer is; `known` when the tools dataset has them. */
export interface Persona {
  readonly name: string;
  readonly email: string;
  readonly phone: string;
  readonly orderIds: readonly string[];
  readonly known: boolean;
}

export interface ScriptedSession {
  readonly id: string;
  /** When the session starts, relative to the first one. */
  readonly startOffsetMs: number;
  readonly segment: SessionSegment;
  readonly persona: Persona;
  readonly turns: readonly ScriptedTurn[];
}

export interface GenerateOptions {
  /** Mean gap between session arrivals (exponential, i.e. Poisson arrivals). Default 4 s. */
  readonly meanGapMs?: number;
}

const INTENTS: ReadonlyArray<readonly [Intent, number]> = [
  ['order_status', 22], ['refund', 14], ['delayed_delivery', 14], ['damaged_item', 8], ['password_reset', 10],
  ['double_charge', 8], ['cancel_membership', 8], ['change_email', 5], ['general', 11],
];
const ORDER_INTENTS: ReadonlySet<Intent> = new Set(['order_status', 'refund', 'delayed_delivery', 'damaged_item', 'double_charge']);
const LENGTHS: ReadonlyArray<readonly [number, number]> = [
  [1, 5], [2, 26], [3, 25], [4, 18], [5, 6], [6, 5], [7, 4], [8, 3], [9, 2], [10, 2], [11, 1], [12, 1], [13, 1], [14, 0.5], [15, 0.5],
];
const INVENTED_FIRST = ['Alex', 'Jordan', 'Sam', 'Taylor', 'Morgan', 'Riley', 'Casey', 'Jamie'];
const INVENTED_LAST = ['Rivera', 'Kowalski', 'Haddad', 'Lindqvist', 'Tanaka', 'Oyelaran', 'Brennan', 'Novak'];

function persona(rng: Rng): { persona: Persona; language: Language; plan: SessionSegment['plan']; item: string } {
  if (rng.chance(0.78)) {
    const customer = rng.pick(CUSTOMERS);
    const order = rng.pick(customer.orders);
    return {
      persona: { name: customer.name, email: customer.email, phone: customer.phone, orderIds: customer.orders.map((o) => o.order_id), known: true },
      language: customer.locale,
      plan: customer.plan,
      item: order.items[0] ? order.items[0].name.charAt(0).toLowerCase() + order.items[0].name.slice(1) : 'order',
    };
  }
  const first = rng.pick(INVENTED_FIRST);
  const last = rng.pick(INVENTED_LAST);
  return {
    persona: {
      name: `${first} ${last}`,
      email: `${first}.${last}${rng.int(10, 99)}@example.com`.toLowerCase(),
      phone: `+1 ${rng.int(201, 989)} 555-01${rng.int(10, 99)}`,
      orderIds: [`ORD-${rng.int(900_000, 999_999)}`],
      known: false,
    },
    language: rng.weighted<Language>([['en', 80], ['es', 7], ['de', 7], ['fr', 6]]),
    plan: 'free',
    item: rng.pick(['tent', 'backpack', 'jacket', 'boots']),
  };
}

/** Exponential with the given mean, from one uniform draw. */
function exponential(rng: Rng, mean: number): number {
  return -Math.log(1 - rng.next()) * mean;
}

/** Log-normal think time around 8 s, plus typing time for long messages. */
function thinkTime(rng: Rng, text: string): number {
  const normal = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const reading = Math.exp(Math.log(8_000) + 0.8 * normal);
  return Math.round(Math.min(180_000, Math.max(1_000, reading + 25 * text.length)));
}

interface Script {
  readonly rng: Rng;
  readonly book: Phrasebook;
  readonly persona: Persona;
  readonly item: string;
  readonly order: string;
}

function fill(template: string, s: Script): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    switch (key) {
      case 'name': return s.persona.name;
      case 'first': return s.persona.name.split(' ')[0] ?? s.persona.name;
      case 'email': return s.persona.email;
      case 'order': return s.order;
      case 'phone': return s.persona.phone;
      case 'item': return s.item;
      case 'card': return cardNumber(s.rng);
      case 'iban': return iban(s.rng);
      case 'block': return pastedBlock(s.rng, s.order, s.persona.email);
      case 'rant': return rant(s);
      default: return whole;
    }
  });
}

function rant(s: Script): string {
  const target = s.rng.int(600, 1_500);
  const sentences: string[] = [];
  while (sentences.join(' ').length < target) sentences.push(fill(s.rng.pick(s.book.rant), s));
  return sentences.join(s.rng.chance(0.3) ? '\n\n' : ' ');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function opening(s: Script, intent: Intent): { text: string; gaveIds: boolean } {
  const { rng, book } = s;
  const parts = [rng.pick(book.greetings)];
  if (rng.chance(0.4)) parts.push(fill(rng.pick(book.intro), s));
  parts.push(fill(rng.pick(book.intents[intent]), s));
  let gaveIds = false;
  if (ORDER_INTENTS.has(intent) ? rng.chance(0.65) : false) {
    parts.push(fill(rng.pick(book.withOrder), s));
    gaveIds = true;
  }
  if (rng.chance(ORDER_INTENTS.has(intent) ? 0.35 : intent === 'general' ? 0.15 : 0.7)) {
    parts.push(fill(rng.pick(book.withEmail), s));
    gaveIds = true;
  }
  if (rng.chance(0.08)) parts.push(fill(rng.pick(book.withPhone), s));
  let text = parts.filter((p) => p !== '').join(' ');
  if (rng.chance(0.06)) text += `\n\n${fill('{block}', s)}`;
  else if (rng.chance(0.05)) text = `${text} ${rant(s)}`;
  return { text: /^\p{Ll}/u.test(text) && rng.chance(0.5) ? capitalise(text) : text, gaveIds };
}

function followUpKind(rng: Rng, turn: number, last: boolean, gaveIds: boolean): FollowUpKind {
  return rng.weighted<FollowUpKind>([
    ['short', 22],
    ['back_reference', turn >= 2 ? 16 : 6],
    ['provide_id', gaveIds ? 4 : 30],
    ['compound', 8],
    ['pasted', 7],
    ['long', 5],
    ['sensitive', 6],
    ['escalate', 5],
    ['closing', last ? 20 : 2],
  ]);
}

function session(seed: string, index: number, startOffsetMs: number): ScriptedSession {
  const rng = rngFor(seed, 'session', index);
  const who = persona(rng);
  const book = PHRASEBOOKS[who.language];
  const script: Script = { rng, book, persona: who.persona, item: who.item, order: rng.pick(who.persona.orderIds) };
  const intent = rng.weighted(INTENTS);
  const length = rng.weighted(LENGTHS);
  const sloppy = rng.chance(0.3);
  const relaxed = rng.chance(0.35);
  const first = opening(script, intent);
  let gaveIds = first.gaveIds;
  const texts = [first.text];
  for (let turn = 1; turn < length; turn++) {
    const kind = followUpKind(rng, turn, turn === length - 1, gaveIds);
    if (kind === 'provide_id') gaveIds = true;
    texts.push(fill(rng.pick(book.followUps[kind]), script));
  }
  const turns = texts.map((raw, turn): ScriptedTurn => {
    let text = sloppy && raw.length > 3 && rng.chance(0.5) ? addTypos(raw, rng) : raw;
    if (relaxed) text = casual(text);
    return { text, thinkMs: turn === 0 ? 0 : thinkTime(rng, text) };
  });
  return {
    id: `sim-${stableHash(seed).toString(36).slice(0, 6)}-${String(index).padStart(4, '0')}`,
    startOffsetMs,
    segment: { language: who.language, channel: rng.weighted<SessionSegment['channel']>([['web', 55], ['mobile', 30], ['email', 10], ['whatsapp', 5]]), plan: who.plan },
    persona: who.persona,
    turns,
  };
}

/** `count` simulated sessions from `seed`; the same seed always gives the same sessions. */
export function generateSessions(seed: string, count: number, options: GenerateOptions = {}): ScriptedSession[] {
  const meanGapMs = options.meanGapMs ?? 4_000;
  const sessions: ScriptedSession[] = [];
  let offset = 0;
  for (let index = 0; index < count; index++) {
    if (index > 0) offset += Math.round(exponential(rngFor(seed, 'arrival', index), meanGapMs));
    sessions.push(session(seed, index, offset));
  }
  return sessions;
}
