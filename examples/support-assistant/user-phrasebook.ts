import type { Language } from './language.ts';

/**
 * What simulated customers say, per language. Placeholders: {name} {first} {email} {order}
 * {phone} {item} {card} {iban} {block}. English has the most variety, as it has the most
 * traffic; the other languages cover every intent and follow-up kind.
 */
export type Intent =
  | 'order_status'
  | 'refund'
  | 'delayed_delivery'
  | 'damaged_item'
  | 'password_reset'
  | 'double_charge'
  | 'cancel_membership'
  | 'change_email'
  | 'general';

export type FollowUpKind = 'short' | 'back_reference' | 'provide_id' | 'compound' | 'pasted' | 'long' | 'sensitive' | 'escalate' | 'closing';

export interface Phrasebook {
  readonly greetings: readonly string[];
  readonly intro: readonly string[];
  readonly intents: Readonly<Record<Intent, readonly string[]>>;
  readonly withOrder: readonly string[];
  readonly withEmail: readonly string[];
  readonly withPhone: readonly string[];
  readonly followUps: Readonly<Record<FollowUpKind, readonly string[]>>;
  /** Sentences a frustrated customer strings together into a very long message. */
  readonly rant: readonly string[];
}

const EN: Phrasebook = {
  greetings: ['Hi,', 'Hello,', 'Hey', 'Good morning,', '', ''],
  intro: ["I'm {name}.", 'My name is {name}.', 'This is {name}.'],
  intents: {
    order_status: ['where is my order?', 'can you tell me the status of my order?', "what's going on with my order", 'has my {item} shipped yet?'],
    refund: ['I want a refund for my {item}.', 'I returned my {item} two weeks ago and still no refund.', 'how do I get my money back for the {item}?'],
    delayed_delivery: ['my package is late, it was supposed to arrive last week.', 'tracking hasn\'t moved in 5 days', 'my delivery is delayed again!!'],
    damaged_item: ['my {item} arrived broken.', 'the {item} came damaged, the box was crushed', 'received a damaged {item}, what now?'],
    password_reset: ["I can't log in, the password reset email never arrives.", 'forgot my password and the reset link is expired', 'locked out of my account after too many attempts'],
    double_charge: ['I was charged twice for the same order!', 'there are two charges on my card for one order', 'why did you bill me twice??'],
    cancel_membership: ['I want to cancel my Plus membership.', 'how do I cancel my subscription?', 'please cancel my plan, I was charged for renewal'],
    change_email: ['I need to change the email on my account.', 'how can I update my email address?'],
    general: ['do you ship to Canada?', 'my promo code is not working', 'is there a warranty on the {item}?', 'can I exchange my {item} for a bigger size?'],
  },
  withOrder: ['Order {order}.', 'The order number is {order}.', 'order# {order}', "It's {order}."],
  withEmail: ['My email is {email}.', 'account email: {email}', "I'm {email} on your site."],
  withPhone: ['You can call me on {phone}.', 'my phone is {phone}'],
  followUps: {
    short: ['?', 'ok', 'still broken', 'hello??', 'and?', 'ok thanks', '...', 'still nothing', 'yes'],
    back_reference: [
      'same order as before, any update?',
      'what did I say my email was?',
      'as I mentioned, it is the same order. can you check again?',
      'like I said earlier, I already gave you my order number',
      'is that for the same order I told you about?',
    ],
    provide_id: ["it's {order}", 'my email is {email}', 'order {order}, email {email}', 'sorry, the order is {order}'],
    compound: [
      'Also, can I change the delivery address, and how much is express shipping?',
      'Two things: where is {order} and why was I charged twice?',
      'ok and can you also tell me when the refund arrives and whether I need to print a label?',
    ],
    pasted: ['Here is what I see:\n{block}', 'the app shows this:\n\n{block}\n\nwhat does it mean?', 'copying my notes:\n{block}'],
    long: ['{rant}'],
    sensitive: ['You can refund it to my card {card}', 'please send the money to my IBAN {iban}', 'my card is {card}, exp 08/27, can you check the charge?', 'call me at {phone} if easier'],
    escalate: ['can I talk to a human please?', 'please open a ticket, this is taking too long', 'I want to speak to an agent'],
    closing: ['thanks, that helps', 'ok bye', 'great, thank you!', 'thanks'],
  },
  rant: [
    'I have been a customer for years and this has never happened before.',
    'I ordered the {item} for a trip next weekend and now I do not know if it will arrive.',
    'I already contacted you twice and nobody answered.',
    'The tracking page says one thing and the email says another.',
    'I really need this sorted today because I leave on Friday.',
    'My order number is {order} and my email is {email}, in case you need them.',
    'I even called the carrier and they told me to contact you.',
    'Honestly I am very disappointed with how this has been handled.',
    'If this cannot be fixed I want my money back.',
    'Please do not send me another automated answer.',
  ],
};

const ES: Phrasebook = {
  greetings: ['Hola,', 'Buenas,', 'Buenos días,', ''],
  intro: ['Soy {name}.', 'Me llamo {name}.'],
  intents: {
    order_status: ['¿dónde está mi pedido?', '¿me podéis decir el estado de mi pedido?'],
    refund: ['quiero un reembolso de mi {item}.', 'devolví el {item} hace dos semanas y todavía no tengo el reembolso.'],
    delayed_delivery: ['mi paquete no ha llegado y tenía que llegar la semana pasada.', 'el envío lleva 5 días sin moverse'],
    damaged_item: ['el {item} ha llegado roto.', 'me llegó el {item} dañado'],
    password_reset: ['no puedo entrar, no me llega el correo para cambiar la contraseña.', 'olvidé mi contraseña'],
    double_charge: ['me habéis cobrado dos veces el mismo pedido!', 'tengo dos cargos en la tarjeta por un pedido'],
    cancel_membership: ['quiero cancelar mi suscripción Plus.', '¿cómo cancelo mi plan?'],
    change_email: ['necesito cambiar el correo de mi cuenta.'],
    general: ['¿enviáis a Canarias?', 'mi código promocional no funciona'],
  },
  withOrder: ['El pedido es {order}.', 'número de pedido {order}'],
  withEmail: ['Mi correo es {email}.', 'correo: {email}'],
  withPhone: ['Mi teléfono es {phone}.'],
  followUps: {
    short: ['?', 'vale', 'sigue sin funcionar', 'hola??', 'gracias'],
    back_reference: ['el mismo pedido de antes, ¿alguna novedad?', '¿qué correo te dije?', 'como te dije, es el mismo pedido'],
    provide_id: ['es {order}', 'mi correo es {email}'],
    compound: ['¿Y puedo cambiar la dirección de entrega? ¿Cuánto cuesta el envío exprés?'],
    pasted: ['Esto es lo que me sale:\n{block}'],
    long: ['{rant}'],
    sensitive: ['podéis devolverlo a mi tarjeta {card}', 'mi IBAN es {iban} para el reembolso'],
    escalate: ['¿puedo hablar con una persona real?', 'abrid un ticket por favor'],
    closing: ['gracias', 'vale, gracias'],
  },
  rant: [
    'Soy cliente desde hace años y nunca me había pasado.',
    'Pedí el {item} para un viaje y ahora no sé si llegará.',
    'Ya os he escrito dos veces y nadie me contesta.',
    'Mi pedido es {order} y mi correo es {email}.',
    'Necesito que esto se solucione hoy mismo.',
    'Si no se puede arreglar quiero mi dinero.',
  ],
};

const DE: Phrasebook = {
  greetings: ['Hallo,', 'Guten Tag,', 'Moin,', ''],
  intro: ['Ich bin {name}.', 'Mein Name ist {name}.'],
  intents: {
    order_status: ['wo ist meine Bestellung?', 'wie ist der Status meiner Bestellung?'],
    refund: ['ich möchte eine Rückerstattung für meinen {item}.', 'ich habe den {item} vor zwei Wochen zurückgeschickt und noch keine Erstattung bekommen.'],
    delayed_delivery: ['mein Paket ist immer noch nicht da, die Lieferung ist überfällig.', 'die Sendungsverfolgung bewegt sich seit 5 Tagen nicht'],
    damaged_item: ['der {item} ist kaputt angekommen.', 'der {item} wurde beschädigt geliefert'],
    password_reset: ['ich kann mich nicht anmelden, die E-Mail zum Zurücksetzen des Passworts kommt nicht an.', 'Passwort vergessen'],
    double_charge: ['mir wurde die Bestellung doppelt abgebucht!', 'zwei Abbuchungen für eine Bestellung'],
    cancel_membership: ['ich möchte meine Plus-Mitgliedschaft kündigen.', 'wie kann ich mein Abo kündigen?'],
    change_email: ['ich muss die E-Mail-Adresse meines Kontos ändern.'],
    general: ['liefert ihr auch in die Schweiz?', 'mein Gutscheincode funktioniert nicht'],
  },
  withOrder: ['Die Bestellnummer ist {order}.', 'Bestellung {order}'],
  withEmail: ['Meine E-Mail ist {email}.', 'E-Mail: {email}'],
  withPhone: ['Meine Telefonnummer ist {phone}.'],
  followUps: {
    short: ['?', 'ok', 'geht immer noch nicht', 'hallo??', 'danke'],
    back_reference: ['gleiche Bestellung wie vorhin, gibt es was Neues?', 'Was hatte ich als E-Mail angegeben?', 'wie gesagt, es ist dieselbe Bestellung'],
    provide_id: ['es ist {order}', 'meine E-Mail ist {email}'],
    compound: ['Und kann ich die Lieferadresse ändern? Was kostet der Expressversand?'],
    pasted: ['Das zeigt mir die App:\n{block}'],
    long: ['{rant}'],
    sensitive: ['bitte auf meine Karte {card} erstatten', 'meine IBAN ist {iban} für die Erstattung'],
    escalate: ['kann ich mit einem Menschen sprechen?', 'bitte ein Ticket aufmachen'],
    closing: ['danke', 'ok, danke schön'],
  },
  rant: [
    'Ich bin seit Jahren Kunde und so etwas ist mir noch nie passiert.',
    'Ich habe den {item} für eine Reise bestellt und weiß jetzt nicht, ob er ankommt.',
    'Ich habe euch schon zweimal geschrieben und niemand antwortet.',
    'Meine Bestellung ist {order} und meine E-Mail ist {email}.',
    'Das muss heute noch geklärt werden.',
    'Wenn das nicht geht, will ich mein Geld zurück.',
  ],
};

const FR: Phrasebook = {
  greetings: ['Bonjour,', 'Salut,', 'Bonsoir,', ''],
  intro: ["Je m'appelle {name}.", 'Ici {name}.'],
  intents: {
    order_status: ['où est ma commande ?', 'pouvez-vous me donner le statut de ma commande ?'],
    refund: ['je voudrais un remboursement pour mon {item}.', "j'ai renvoyé le {item} il y a deux semaines et toujours pas de remboursement."],
    delayed_delivery: ["mon colis n'est toujours pas arrivé, la livraison est en retard.", 'le suivi ne bouge plus depuis 5 jours'],
    damaged_item: ['mon {item} est arrivé cassé.', 'le {item} a été livré abîmé'],
    password_reset: ["je n'arrive pas à me connecter, je ne reçois pas l'e-mail pour le mot de passe.", "j'ai oublié mon mot de passe"],
    double_charge: ["j'ai été débité deux fois pour la même commande !", 'deux prélèvements pour une seule commande'],
    cancel_membership: ['je veux annuler mon abonnement Plus.', 'comment annuler mon abonnement ?'],
    change_email: ["je dois changer l'adresse e-mail de mon compte."],
    general: ['livrez-vous en Belgique ?', 'mon code promo ne marche pas'],
  },
  withOrder: ['La commande est {order}.', 'numéro de commande {order}'],
  withEmail: ['Mon e-mail est {email}.', 'e-mail : {email}'],
  withPhone: ['Mon numéro est le {phone}.'],
  followUps: {
    short: ['?', 'ok', 'toujours pas', 'allô ??', 'merci'],
    back_reference: ["même commande que tout à l'heure, du nouveau ?", "qu'est-ce que j'ai dit comme e-mail ?", "comme je l'ai dit, c'est la même commande"],
    provide_id: ["c'est {order}", 'mon e-mail est {email}'],
    compound: ["Et est-ce que je peux changer l'adresse de livraison ? Combien coûte la livraison express ?"],
    pasted: ["Voici ce que l'appli affiche :\n{block}"],
    long: ['{rant}'],
    sensitive: ['vous pouvez rembourser sur ma carte {card}', 'mon IBAN est {iban} pour le remboursement'],
    escalate: ['je peux parler à un humain ?', 'ouvrez un ticket svp'],
    closing: ['merci', 'ok merci beaucoup'],
  },
  rant: [
    'Je suis client depuis des années et ça ne m’était jamais arrivé.',
    "J'ai commandé le {item} pour un voyage et je ne sais pas s'il arrivera.",
    "Je vous ai déjà écrit deux fois et personne n'a répondu.",
    'Ma commande est {order} et mon e-mail est {email}.',
    "J'ai besoin que ce soit réglé aujourd'hui.",
    'Sinon je veux être remboursé.',
  ],
};

export const PHRASEBOOKS: Readonly<Record<Language, Phrasebook>> = { en: EN, es: ES, de: DE, fr: FR };
