import type { Language } from './language.ts';
import type { HelpDocument } from './retrieval-client.ts';

/** The assistant's system prompt. */
export function systemPrompt(channel: string): string {
  return [
    'You are Sam, the customer-support assistant of Northwind Outfitters, an online outdoor-gear shop.',
    `The customer is writing through the ${channel} channel.`,
    'Answer in the language the customer writes in. Be brief, concrete and kind.',
    'Use the tools to look up orders and accounts; never invent order details, and never claim',
    'an action succeeded unless a tool result says so. If a lookup fails, say so and apologise.',
    'Open a ticket when the customer asks for a human or the problem cannot be solved in chat.',
  ].join('\n');
}

/** Marker the model-side looks for; keep in sync with `rule-model.ts`. */
export const DOCUMENTS_HEADER = 'Relevant help-center articles:';

/** The retrieved documents, as one system message. */
export function documentsMessage(documents: readonly HelpDocument[]): string {
  const blocks = documents.map((doc) => `### ${doc.title} (id: ${doc.id}, updated ${doc.updated_at})\n${doc.text}`);
  return `${DOCUMENTS_HEADER}\n\n${blocks.join('\n\n')}`;
}

/** Canned copy for when the model itself cannot be reached. */
export const MODEL_DOWN_REPLY: Readonly<Record<Language, string>> = {
  en: "I'm sorry — I can't answer right now because our assistant is having technical trouble. Nothing on your account or orders was changed. Please try again in a few minutes.",
  es: 'Lo siento, ahora mismo no puedo responder porque nuestro asistente tiene problemas técnicos. No se ha cambiado nada en tu cuenta ni en tus pedidos. Inténtalo de nuevo en unos minutos.',
  de: 'Es tut mir leid, ich kann gerade nicht antworten, weil unser Assistent technische Probleme hat. An Ihrem Konto und Ihren Bestellungen wurde nichts geändert. Bitte versuchen Sie es in ein paar Minuten erneut.',
  fr: "Je suis désolé, je ne peux pas répondre pour le moment car notre assistant rencontre un problème technique. Rien n'a été modifié sur votre compte ni vos commandes. Veuillez réessayer dans quelques minutes.",
};

/** Appended when a streamed answer broke off after part of it was shown. */
export const INTERRUPTED_SUFFIX: Readonly<Record<Language, string>> = {
  en: ' … Sorry, my answer was cut off. Please ask again.',
  es: ' … Lo siento, mi respuesta se cortó. Vuelve a preguntar, por favor.',
  de: ' … Entschuldigung, meine Antwort wurde abgeschnitten. Bitte fragen Sie erneut.',
  fr: ' … Désolé, ma réponse a été coupée. Merci de reposer votre question.',
};

/** The current triage prompt. */
export const TRIAGE_PROMPT = [
  'You classify customer-support conversations for routing.',
  'Respond with a JSON object with exactly these keys:',
  '"name" (the customer\'s full name, or null if unknown),',
  '"issue_type" (one of "refund", "shipping", "order_status", "account_access", "billing", "cancellation", "technical", "general"),',
  '"urgency" ("low", "medium" or "high").',
  'Respond with JSON only.',
].join('\n');

/**
 * The refunds team's copy of the triage prompt, forked before `priority` was renamed to
 * `urgency`. Only the schema-rename defect routes any turn to it.
 */
export const LEGACY_TRIAGE_PROMPT = [
  'You classify customer-support conversations for the refunds and international queues.',
  'Respond with a JSON object with exactly these keys:',
  '"name" (the customer\'s full name, or null if unknown),',
  '"issue_type" (one of "refund", "shipping", "order_status", "account_access", "billing", "cancellation", "technical", "general"),',
  '"priority" ("low", "medium" or "high").',
  'Respond with JSON only.',
].join('\n');
