import { readFileSync } from 'node:fs';

/**
 * The "production" retrieval index: keyword scoring over the bundled help-center corpus.
 * Deliberately simple: a query term found in the title scores 3, in the tags 2, in the body 1;
 * a small multilingual synonym map lets Spanish, German and French questions still find the
 * English articles.
 */
export interface HelpArticle {
  readonly id: string;
  readonly title: string;
  readonly text: string;
  readonly updated_at: string;
  readonly tags: readonly string[];
}

export const HELP_CENTER: readonly HelpArticle[] = JSON.parse(
  readFileSync(new URL('./help-center.json', import.meta.url), 'utf8'),
) as HelpArticle[];

const STOP_WORDS = new Set(
  'a an the and or but is are was were be been to of in on at for from with by it its this that my me i you your we our can could would should do does did not no yes please hi hello thanks thank just still get got have has had what when why how which who there here about'.split(' '),
);

const SYNONYMS: Readonly<Record<string, string>> = {
  reembolso: 'refund', devolución: 'return', devolver: 'return', rückerstattung: 'refund', erstattung: 'refund', remboursement: 'refund', rembourser: 'refund',
  envío: 'shipping', entrega: 'delivery', lieferung: 'delivery', versand: 'shipping', livraison: 'delivery', expédition: 'shipping',
  pedido: 'order', bestellung: 'order', commande: 'order', paquete: 'parcel', paket: 'parcel', colis: 'parcel',
  contraseña: 'password', passwort: 'password', passe: 'password', cuenta: 'account', konto: 'account', compte: 'account',
  factura: 'invoice', rechnung: 'invoice', facture: 'invoice', cobrado: 'charged', abgebucht: 'charged', débité: 'charged', prélevé: 'charged',
  cancelar: 'cancel', kündigen: 'cancel', stornieren: 'cancel', annuler: 'cancel', roto: 'damaged', kaputt: 'damaged', beschädigt: 'damaged', cassé: 'damaged',
  retraso: 'delayed', verspätet: 'delayed', retard: 'delayed', tarde: 'late', zahlung: 'payment', pago: 'payment', paiement: 'payment',
  refunded: 'refund', refunds: 'refund', shipped: 'shipping', ship: 'shipping', charges: 'charge', cancelled: 'cancel', canceled: 'cancel', cancellation: 'cancel',
  login: 'login', signin: 'login', broke: 'broken', tracking: 'track', where: 'track', dónde: 'track', wo: 'track', où: 'track', status: 'track',
};

function terms(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}-]+/u)
    .filter((word) => word.length > 1 && !STOP_WORDS.has(word))
    .map((word) => SYNONYMS[word] ?? word);
}

const INDEX = HELP_CENTER.map((article) => ({
  article,
  title: new Set(terms(article.title)),
  tags: new Set(article.tags.flatMap(terms)),
  body: new Set(terms(article.text)),
}));

/** The `topK` best articles for `query`, best first; articles scoring zero are left out. */
export function searchHelpCenter(query: string, topK: number): HelpArticle[] {
  const queryTerms = [...new Set(terms(query))];
  return INDEX.map((entry) => ({
    entry,
    // Presence, not frequency: a long article repeating "order" must not beat a precise title.
    score: queryTerms.reduce((sum, term) => sum + (entry.title.has(term) ? 3 : 0) + (entry.tags.has(term) ? 2 : 0) + (entry.body.has(term) ? 1 : 0), 0),
  }))
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score || a.entry.article.id.localeCompare(b.entry.article.id))
    .slice(0, Math.max(0, topK))
    .map(({ entry }) => entry.article);
}
