/**
 * Crude language identification for the four languages the demo supports. Both the app (to
 * pick prompts) and the rule-based model (to answer in kind) use it; a stop-word vote is what
 * many production apps really do before they reach for a library.
 */
export type Language = 'en' | 'es' | 'de' | 'fr';

export const LANGUAGES: readonly Language[] = ['en', 'es', 'de', 'fr'];

const STOP_WORDS: Readonly<Record<Language, ReadonlySet<string>>> = {
  en: new Set(
    'the my is are order i not where refund account password please thanks hi hello it still what and was have same email you your can why when did this that with for'.split(' '),
  ),
  es: new Set(
    'hola pedido gracias mi por favor reembolso cuenta correo el que es está dónde donde envío quiero tengo contraseña cancelar factura llegado todavía mismo dije sigue mis una ya pero cobrado'.split(' '),
  ),
  de: new Set(
    'hallo bestellung danke ich nicht mein meine ist und die der das wo rückerstattung passwort konto rechnung kündigen noch immer bitte gleiche gesagt lieferung habe mir mich war wurde'.split(' '),
  ),
  fr: new Set(
    'bonjour commande merci je mon ma est pas le les où remboursement mot passe compte facture annuler toujours livraison même dit ai reçu suis mes une mais été vous'.split(' '),
  ),
};

const ACCENT_HINTS: ReadonlyArray<readonly [RegExp, Language]> = [
  [/[ñ¿¡]/, 'es'],
  [/[ßäöü]/, 'de'],
  [/[çèêàùœ]/, 'fr'],
];

/** The most likely language of `text`; English unless another language clearly wins. */
export function detectLanguage(text: string): Language {
  const lower = text.toLowerCase();
  const words = lower.split(/[^\p{L}]+/u).filter((w) => w.length > 0);
  const score: Record<Language, number> = { en: 0, es: 0, de: 0, fr: 0 };
  for (const word of words) {
    for (const lang of LANGUAGES) if (STOP_WORDS[lang].has(word)) score[lang] += 1;
  }
  for (const [pattern, lang] of ACCENT_HINTS) if (pattern.test(lower)) score[lang] += 2;
  let best: Language = 'en';
  for (const lang of LANGUAGES) if (score[lang] > score[best]) best = lang;
  return best !== 'en' && score[best] >= 2 ? best : 'en';
}
