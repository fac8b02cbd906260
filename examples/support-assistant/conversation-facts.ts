/**
 * What the rule-based model "understands" of a conversation: identities and ids mentioned,
 * the issue it is about, how urgent it sounds, and whether the customer refers back to
 * something said earlier. Regular expressions only; deterministic by construction.
 */
export type IssueType = 'refund' | 'shipping' | 'order_status' | 'account_access' | 'billing' | 'cancellation' | 'technical' | 'general';

export interface WireMessage {
  readonly role: string;
  readonly content: string;
}

export interface Facts {
  readonly name: string | undefined;
  /** Emails the customer wrote, oldest first, then any seen only in tool results or replies. */
  readonly emails: readonly string[];
  readonly orderIds: readonly string[];
  readonly phone: string | undefined;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const ORDER_ID = /\bORD[- ]?(\d{4,8})\b/gi;
const PHONE = /\+\d[\d ().-]{6,}\d/g;
const NAME_LEAD = /\b(?:my name is|i am|i'm|this is|me llamo|mi nombre es|soy|ich heiße|ich heisse|mein name ist|ich bin|je m'appelle|je suis|moi c'est)\s+/giu;
const CAPITALISED = /^(\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?)/u;
const SIGN_OFF = /(?:regards|cheers|thanks|best|saludos|gracias|grüße|gruß|danke|cordialement|merci)[,!.]?\s*\n\s*(\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?)\s*$/iu;
const NOT_NAMES = new Set(['Very', 'Not', 'So', 'Still', 'Really', 'Just', 'Trying', 'Having', 'Sorry', 'Here', 'Writing', 'Looking', 'Waiting', 'Muy', 'Sehr', 'Très']);

export function emailsIn(text: string): string[] {
  return [...text.matchAll(EMAIL)].map((m) => m[0].toLowerCase());
}

export function orderIdsIn(text: string): string[] {
  return [...text.matchAll(ORDER_ID)].map((m) => `ORD-${m[1]}`);
}

export function nameIn(text: string): string | undefined {
  for (const lead of text.matchAll(NAME_LEAD)) {
    const rest = text.slice((lead.index ?? 0) + lead[0].length);
    const name = CAPITALISED.exec(rest)?.[1];
    if (name && !NOT_NAMES.has(name.split(/\s+/)[0] ?? '')) return name;
  }
  return SIGN_OFF.exec(text.trim())?.[1];
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function pushUnique(list: string[], values: readonly string[]): void {
  for (const value of values) if (!list.includes(value)) list.push(value);
}

/** Facts from every message the model was sent: user turns first, then tool results and replies. */
export function collectFacts(messages: readonly WireMessage[]): Facts {
  let name: string | undefined;
  let phone: string | undefined;
  const emails: string[] = [];
  const orderIds: string[] = [];
  const secondary: string[] = [];
  for (const message of messages) {
    if (message.role === 'user') {
      name = nameIn(message.content) ?? name;
      phone = message.content.match(PHONE)?.[0] ?? phone;
      pushUnique(emails, emailsIn(message.content));
      pushUnique(orderIds, orderIdsIn(message.content));
    } else if (message.role === 'tool') {
      const result = parseJson(message.content);
      if (typeof result?.name === 'string') name = result.name;
      if (typeof result?.phone === 'string') phone = result.phone;
      if (typeof result?.email === 'string') secondary.push(result.email.toLowerCase());
      if (typeof result?.order_id === 'string') pushUnique(orderIds, [result.order_id]);
    } else if (message.role === 'assistant') {
      secondary.push(...emailsIn(message.content));
      pushUnique(orderIds, orderIdsIn(message.content));
    }
  }
  pushUnique(emails, secondary);
  return { name, emails, orderIds, phone };
}

const TOPICS: ReadonlyArray<readonly [IssueType, RegExp]> = [
  ['refund', /refund|money back|reembols|devoluci|devolver|rückerstatt|erstatt|zurückgeben|rembours|damaged|broken|arrived broken|roto|kaputt|besch[aä]digt|cass[ée]/i],
  ['billing', /charged|charge|double|twice|invoice|billing|payment|cobr|factura|rechnung|abgebucht|zahlung|factur|d[ée]bit|pr[ée]lev|paiement/i],
  ['cancellation', /cancel|kündig|storn|annul/i],
  ['account_access', /password|log ?in|sign ?in|locked|2fa|two-factor|contraseña|passwort|mot de passe|connexion|anmeld/i],
  ['shipping', /ship|deliver|package|parcel|tracking|late\b|arriv|envío|envio|entrega|paquete|llegado|lieferung|paket|versand|angekommen|livraison|colis|reçu|re[cç]u/i],
  ['technical', /error|crash|bug|exception|stack ?trace|traceback|\bapp\b|website|\b50\d\b/i],
  ['order_status', /order|pedido|bestellung|commande|ORD-\d/i],
];

export function topicOf(text: string): IssueType {
  for (const [topic, pattern] of TOPICS) if (pattern.test(text)) return topic;
  return 'general';
}

/** The topic of the most recent user message that has one. */
export function conversationTopic(userMessages: readonly string[]): IssueType {
  for (let i = userMessages.length - 1; i >= 0; i--) {
    const topic = topicOf(userMessages[i] ?? '');
    if (topic !== 'general') return topic;
  }
  return 'general';
}

const HIGH = /urgent|asap|immediately|right now|!!!|fraud|charged twice|double charge|chargeback|lawyer|dringend|sofort|urgente|ya mismo|tout de suite|imm[ée]diatement/i;
const MEDIUM = /still|again|days|week|not (yet )?(arrived|received|working)|broken|late\b|refund|todav[ií]a|sigue|immer noch|noch nicht|toujours|pas encore|reembolso|rückerstattung|remboursement/i;

export function urgencyOf(userMessages: readonly string[]): 'low' | 'medium' | 'high' {
  const text = userMessages.join('\n');
  if (HIGH.test(text)) return 'high';
  return MEDIUM.test(text) ? 'medium' : 'low';
}

const BACK_REFERENCE =
  /as i (said|mentioned|told you|wrote)|like i (said|told you)|i (already )?(told|gave) you|i said (before|earlier)|same (order|account|email|one|issue|problem)|what (did|was it) i (say|said|tell|told)|what did i say|what('s| is| was) my (email|order|name|phone)|remind me|earlier|previous(ly)?|como (te )?dije|como mencion[eé]|ya te (dije|di)|mismo pedido|qu[eé] (te )?dije|wie (ich )?(schon )?gesagt|wie erw[aä]hnt|(gleiche|dieselbe) bestellung|was hatte ich|comme je (l'ai|vous l'ai) dit|comme mentionn[ée]|m[eê]me commande|qu'est-ce que j'ai dit|d[eé]j[aà] dit/i;

export function refersBack(text: string): boolean {
  return BACK_REFERENCE.test(text);
}

/** Which remembered facts a back-reference asks for; empty means "all of them". */
export function askedFacts(text: string): Array<'email' | 'order' | 'name'> {
  const asked: Array<'email' | 'order' | 'name'> = [];
  if (/e-?mail|correo|mail\b|courriel/i.test(text)) asked.push('email');
  if (/order|pedido|bestellung|commande|ORD/i.test(text)) asked.push('order');
  if (/\bname\b|nombre|\bnom\b/i.test(text)) asked.push('name');
  return asked;
}

const ESCALATION = /\bticket\b|human|real person|speak to (someone|somebody|an agent)|\bagent\b|escalat|supervisor|manager|persona real|hablar con alguien|mensch|mitarbeiter|humain|conseiller|quelqu'un/i;

export function asksForEscalation(text: string): boolean {
  return ESCALATION.test(text);
}
