import type { IssueType } from './conversation-facts.ts';
import type { Language } from './language.ts';

/** The rule-based model's sentences, per language. */
export interface Phrases {
  readonly thanksName: (first: string) => string;
  readonly hello: string;
  readonly orderStatus: Readonly<Record<string, string>>;
  readonly order: (id: string, items: string, status: string, carrier: string | null, tracking: string | null, eta: string | null) => string;
  readonly account: (name: string, email: string, phone: string, plan: string) => string;
  readonly ticket: (id: string) => string;
  readonly resolved: (id: string) => string;
  readonly notFound: (what: string) => string;
  readonly unavailable: (kind: 'order' | 'account' | 'ticket') => string;
  readonly remembered: (parts: readonly string[]) => string;
  readonly yourEmail: (email: string) => string;
  readonly yourOrder: (ids: readonly string[]) => string;
  readonly yourName: (name: string) => string;
  readonly forgot: (what: string) => string;
  readonly factNames: Readonly<Record<'email' | 'order' | 'name', string>>;
  readonly topic: Readonly<Record<IssueType, string>>;
  readonly articles: (titles: readonly string[]) => string;
  readonly stillBroken: string;
  readonly ack: string;
  readonly confused: string;
  readonly askForId: string;
}

const list = (items: readonly string[], and: string): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
const quoted = (titles: readonly string[]): string => titles.map((t) => `“${t}”`).join(', ');

const EN: Phrases = {
  thanksName: (first) => `Thanks, ${first}.`,
  hello: 'Thanks for reaching out to Northwind support.',
  orderStatus: { processing: 'still being prepared', shipped: 'on its way', delivered: 'delivered', delayed: 'delayed in transit', returned: 'returned', cancelled: 'cancelled' },
  order: (id, items, status, carrier, tracking, eta) =>
    `Order ${id} (${items}) is ${status}${carrier ? `, shipped with ${carrier}, tracking number ${tracking}` : ''}${eta ? `, estimated delivery ${eta}` : ''}.`,
  account: (name, email, phone, plan) => `I found your account: ${name}, ${email}, phone on file ${phone}, ${plan} plan.`,
  ticket: (id) => `I've opened ticket ${id}; an agent will reply by email within 24 hours.`,
  resolved: (id) => `Good news: I've updated your order and your ticket ${id} is resolved. Everything is sorted!`,
  notFound: (what) => `I couldn't find ${what}. Could you double-check it?`,
  unavailable: (kind) => `I'm sorry — I couldn't look up ${{ order: 'your order', account: 'your account', ticket: 'the ticket system' }[kind]} right now because our system isn't responding. Nothing was changed; please try again in a few minutes.`,
  remembered: (parts) => `As you mentioned earlier, ${list(parts, 'and')}.`,
  yourEmail: (email) => `your email is ${email}`,
  yourOrder: (ids) => `your order is ${list(ids, 'and')}`,
  yourName: (name) => `your name is ${name}`,
  forgot: (what) => `I'm sorry, I don't have your ${what} from earlier in our conversation — could you share it again?`,
  factNames: { email: 'email address', order: 'order number', name: 'name' },
  topic: {
    refund: 'Refunds go back to the original payment method within 5–10 business days after we receive the return.',
    shipping: 'Standard shipping takes 3–5 business days; tracking can take a day to update.',
    order_status: 'You can also follow every order under Orders in your account.',
    account_access: 'You can reset your password with Forgot password on the sign-in page; the link is valid for 30 minutes.',
    billing: 'A duplicate charge is usually a pending authorization that disappears within 3–5 business days.',
    cancellation: 'Orders can be cancelled until they ship, and memberships any time under Account › Membership.',
    technical: 'Please update the app or try a private browser window; a screenshot helps us a lot.',
    general: 'I can help with orders, deliveries, returns, billing and your account.',
  },
  articles: (titles) => `These help articles may help: ${quoted(titles)}.`,
  stillBroken: "I'm sorry this still isn't sorted.",
  ack: "You're welcome! Is there anything else I can help with?",
  confused: 'Could you tell me a bit more about what you need?',
  askForId: 'If you share your order number (it starts with ORD-) or the email on your account, I can look it up.',
};

const ES: Phrases = {
  thanksName: (first) => `Gracias, ${first}.`,
  hello: 'Gracias por contactar con el soporte de Northwind.',
  orderStatus: { processing: 'en preparación', shipped: 'en camino', delivered: 'entregado', delayed: 'retrasado en tránsito', returned: 'devuelto', cancelled: 'cancelado' },
  order: (id, items, status, carrier, tracking, eta) =>
    `El pedido ${id} (${items}) está ${status}${carrier ? `, enviado con ${carrier}, número de seguimiento ${tracking}` : ''}${eta ? `, entrega estimada ${eta}` : ''}.`,
  account: (name, email, phone, plan) => `He encontrado tu cuenta: ${name}, ${email}, teléfono ${phone}, plan ${plan}.`,
  ticket: (id) => `He abierto el ticket ${id}; un agente te responderá por correo en 24 horas.`,
  resolved: (id) => `¡Buenas noticias! He actualizado tu pedido y tu ticket ${id} está resuelto.`,
  notFound: (what) => `No he encontrado ${what}. ¿Puedes comprobarlo?`,
  unavailable: (kind) => `Lo siento, ahora mismo no puedo consultar ${{ order: 'tu pedido', account: 'tu cuenta', ticket: 'el sistema de tickets' }[kind]} porque nuestro sistema no responde. No se ha cambiado nada; inténtalo de nuevo en unos minutos.`,
  remembered: (parts) => `Como me dijiste antes, ${list(parts, 'y')}.`,
  yourEmail: (email) => `tu correo es ${email}`,
  yourOrder: (ids) => `tu pedido es ${list(ids, 'y')}`,
  yourName: (name) => `te llamas ${name}`,
  forgot: (what) => `Lo siento, no tengo tu ${what} de antes en nuestra conversación. ¿Me lo puedes repetir?`,
  factNames: { email: 'correo electrónico', order: 'número de pedido', name: 'nombre' },
  topic: {
    refund: 'Los reembolsos se hacen al método de pago original en 5–10 días hábiles tras recibir la devolución.',
    shipping: 'El envío estándar tarda 3–5 días hábiles.',
    order_status: 'También puedes seguir tus pedidos en tu cuenta, en Pedidos.',
    account_access: 'Puedes restablecer tu contraseña con «¿Olvidaste tu contraseña?» en la página de acceso.',
    billing: 'Un cargo duplicado suele ser una autorización pendiente que desaparece en 3–5 días hábiles.',
    cancellation: 'Los pedidos se pueden cancelar hasta que se envían.',
    technical: 'Actualiza la app o prueba en una ventana privada; una captura de pantalla nos ayuda mucho.',
    general: 'Puedo ayudarte con pedidos, envíos, devoluciones, facturación y tu cuenta.',
  },
  articles: (titles) => `Estos artículos de ayuda pueden servirte: ${quoted(titles)}.`,
  stillBroken: 'Siento que todavía no esté resuelto.',
  ack: '¡De nada! ¿Puedo ayudarte en algo más?',
  confused: '¿Me puedes contar un poco más sobre lo que necesitas?',
  askForId: 'Si me das tu número de pedido (empieza por ORD-) o el correo de tu cuenta, lo consulto.',
};

const DE: Phrases = {
  thanksName: (first) => `Danke, ${first}.`,
  hello: 'Danke, dass Sie sich an den Northwind-Support wenden.',
  orderStatus: { processing: 'in Bearbeitung', shipped: 'unterwegs', delivered: 'zugestellt', delayed: 'im Versand verzögert', returned: 'zurückgesendet', cancelled: 'storniert' },
  order: (id, items, status, carrier, tracking, eta) =>
    `Die Bestellung ${id} (${items}) ist ${status}${carrier ? `, versendet mit ${carrier}, Sendungsnummer ${tracking}` : ''}${eta ? `, voraussichtliche Zustellung ${eta}` : ''}.`,
  account: (name, email, phone, plan) => `Ich habe Ihr Konto gefunden: ${name}, ${email}, Telefon ${phone}, Tarif ${plan}.`,
  ticket: (id) => `Ich habe das Ticket ${id} eröffnet; ein Mitarbeiter antwortet innerhalb von 24 Stunden per E-Mail.`,
  resolved: (id) => `Gute Nachrichten: Ich habe Ihre Bestellung aktualisiert und Ihr Ticket ${id} ist gelöst.`,
  notFound: (what) => `Ich konnte ${what} nicht finden. Könnten Sie das bitte prüfen?`,
  unavailable: (kind) => `Es tut mir leid, ich kann ${{ order: 'Ihre Bestellung', account: 'Ihr Konto', ticket: 'das Ticketsystem' }[kind]} gerade nicht abrufen, weil unser System nicht antwortet. Es wurde nichts geändert; bitte versuchen Sie es in ein paar Minuten erneut.`,
  remembered: (parts) => `Wie Sie vorhin sagten: ${list(parts, 'und')}.`,
  yourEmail: (email) => `Ihre E-Mail ist ${email}`,
  yourOrder: (ids) => `Ihre Bestellung ist ${list(ids, 'und')}`,
  yourName: (name) => `Ihr Name ist ${name}`,
  forgot: (what) => `Entschuldigung, ich habe Ihre ${what} aus unserem Gespräch nicht mehr. Könnten Sie sie noch einmal nennen?`,
  factNames: { email: 'E-Mail-Adresse', order: 'Bestellnummer', name: 'Namensangabe' },
  topic: {
    refund: 'Erstattungen gehen innerhalb von 5–10 Werktagen nach Eingang der Rücksendung an die ursprüngliche Zahlungsart.',
    shipping: 'Der Standardversand dauert 3–5 Werktage.',
    order_status: 'Sie können jede Bestellung auch unter „Bestellungen“ in Ihrem Konto verfolgen.',
    account_access: 'Sie können Ihr Passwort über „Passwort vergessen“ auf der Anmeldeseite zurücksetzen.',
    billing: 'Eine doppelte Abbuchung ist meist eine Vormerkung, die nach 3–5 Werktagen verschwindet.',
    cancellation: 'Bestellungen können bis zum Versand storniert werden.',
    technical: 'Bitte aktualisieren Sie die App oder nutzen Sie ein privates Browserfenster; ein Screenshot hilft uns sehr.',
    general: 'Ich helfe bei Bestellungen, Lieferungen, Rücksendungen, Rechnungen und Ihrem Konto.',
  },
  articles: (titles) => `Diese Hilfeartikel könnten helfen: ${quoted(titles)}.`,
  stillBroken: 'Es tut mir leid, dass das immer noch nicht gelöst ist.',
  ack: 'Gern geschehen! Kann ich sonst noch helfen?',
  confused: 'Können Sie mir etwas mehr dazu sagen, was Sie brauchen?',
  askForId: 'Wenn Sie mir Ihre Bestellnummer (beginnt mit ORD-) oder die E-Mail Ihres Kontos nennen, sehe ich nach.',
};

const FR: Phrases = {
  thanksName: (first) => `Merci, ${first}.`,
  hello: "Merci d'avoir contacté le support Northwind.",
  orderStatus: { processing: 'en préparation', shipped: 'en route', delivered: 'livrée', delayed: 'retardée pendant le transport', returned: 'retournée', cancelled: 'annulée' },
  order: (id, items, status, carrier, tracking, eta) =>
    `La commande ${id} (${items}) est ${status}${carrier ? `, expédiée avec ${carrier}, numéro de suivi ${tracking}` : ''}${eta ? `, livraison estimée ${eta}` : ''}.`,
  account: (name, email, phone, plan) => `J'ai trouvé votre compte : ${name}, ${email}, téléphone ${phone}, formule ${plan}.`,
  ticket: (id) => `J'ai ouvert le ticket ${id} ; un conseiller vous répondra par e-mail sous 24 heures.`,
  resolved: (id) => `Bonne nouvelle : j'ai mis à jour votre commande et votre ticket ${id} est résolu.`,
  notFound: (what) => `Je n'ai pas trouvé ${what}. Pouvez-vous vérifier ?`,
  unavailable: (kind) => `Désolé, je ne peux pas consulter ${{ order: 'votre commande', account: 'votre compte', ticket: 'le système de tickets' }[kind]} pour le moment car notre système ne répond pas. Rien n'a été modifié ; réessayez dans quelques minutes.`,
  remembered: (parts) => `Comme vous l'avez dit plus tôt, ${list(parts, 'et')}.`,
  yourEmail: (email) => `votre e-mail est ${email}`,
  yourOrder: (ids) => `votre commande est ${list(ids, 'et')}`,
  yourName: (name) => `vous vous appelez ${name}`,
  forgot: (what) => `Désolé, je n'ai plus votre ${what} dans notre conversation. Pouvez-vous me le redonner ?`,
  factNames: { email: 'adresse e-mail', order: 'numéro de commande', name: 'nom' },
  topic: {
    refund: 'Les remboursements sont effectués sur le moyen de paiement initial sous 5 à 10 jours ouvrés après réception du retour.',
    shipping: 'La livraison standard prend 3 à 5 jours ouvrés.',
    order_status: 'Vous pouvez aussi suivre vos commandes dans votre compte, rubrique Commandes.',
    account_access: 'Vous pouvez réinitialiser votre mot de passe avec « Mot de passe oublié » sur la page de connexion.',
    billing: "Un double débit est généralement une autorisation en attente qui disparaît sous 3 à 5 jours ouvrés.",
    cancellation: "Les commandes peuvent être annulées tant qu'elles ne sont pas expédiées.",
    technical: "Mettez l'application à jour ou essayez une fenêtre privée ; une capture d'écran nous aide beaucoup.",
    general: 'Je peux vous aider pour les commandes, livraisons, retours, la facturation et votre compte.',
  },
  articles: (titles) => `Ces articles d'aide peuvent vous être utiles : ${quoted(titles)}.`,
  stillBroken: "Je suis désolé que ce ne soit toujours pas réglé.",
  ack: "Avec plaisir ! Puis-je vous aider pour autre chose ?",
  confused: 'Pouvez-vous m’en dire un peu plus sur ce dont vous avez besoin ?',
  askForId: "Si vous me donnez votre numéro de commande (il commence par ORD-) ou l'e-mail de votre compte, je vérifie.",
};

export const PHRASES: Readonly<Record<Language, Phrases>> = { en: EN, es: ES, de: DE, fr: FR };
