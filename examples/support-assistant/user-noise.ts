import type { Rng } from './seeded-random.ts';

/**
 * The mess real users add to their messages: typos, pasted blocks (lists, stack traces,
 * JSON) and payment details that pass validation (Luhn cards, mod-97 IBANs), so anonymizer
 * detectors have something real to catch.
 */

/** Adds 1–3 character-level typos to alphabetic words of four letters or more. */
export function addTypos(text: string, rng: Rng): string {
  const words = text.split(/(\s+)/);
  const candidates = words.map((word, index) => ({ word, index })).filter(({ word }) => /^\p{L}{4,}[,.!?]?$/u.test(word));
  const count = Math.min(candidates.length, rng.int(1, 3));
  for (let n = 0; n < count; n++) {
    const { index } = rng.pick(candidates);
    const word = words[index] ?? '';
    const at = rng.int(1, word.replace(/[,.!?]$/, '').length - 2);
    const kind = rng.pick(['swap', 'drop', 'double'] as const);
    if (kind === 'swap' && word[at] !== word[at + 1]) words[index] = word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
    else if (kind !== 'double') words[index] = word.slice(0, at) + word.slice(at + 1);
    else words[index] = word.slice(0, at) + word[at] + word.slice(at);
  }
  return words.join('');
}

/** A casual writer: no capital at the start, no final full stop. */
export function casual(text: string): string {
  // Only a capitalised word is lowered: "ORD-…" or "IBAN …" stay as typed.
  const start = /^\p{Lu}\p{Ll}/u.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
  return start.replace(/\.$/, '');
}

function digits(rng: Rng, count: number): string {
  return Array.from({ length: count }, () => rng.int(0, 9)).join('');
}

/** A 16-digit card number with a valid Luhn check digit, sometimes grouped by four. */
export function cardNumber(rng: Rng): string {
  const body = `${rng.pick(['4', '51', '53', '55'])}`;
  const partial = body + digits(rng, 15 - body.length);
  let sum = 0;
  for (let i = 0; i < partial.length; i++) {
    let d = Number(partial[partial.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  const number = partial + String((10 - (sum % 10)) % 10);
  return rng.chance(0.6) ? (number.match(/.{4}/g) ?? []).join(' ') : number;
}

/** An IBAN with valid mod-97 check digits for DE, ES, FR, NL or GB, printed in groups of four. */
export function iban(rng: Rng): string {
  const country = rng.pick(['DE', 'ES', 'FR', 'NL', 'GB'] as const);
  const letters = (n: number): string => Array.from({ length: n }, () => String.fromCharCode(65 + rng.int(0, 25))).join('');
  const bban = { DE: () => digits(rng, 18), ES: () => digits(rng, 20), FR: () => digits(rng, 23), NL: () => letters(4) + digits(rng, 10), GB: () => letters(4) + digits(rng, 14) }[country]();
  const numeric = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const check = String(98n - (BigInt(numeric) % 97n)).padStart(2, '0');
  return (`${country}${check}${bban}`.match(/.{1,4}/g) ?? []).join(' ');
}

export function pastedBlock(rng: Rng, orderId: string, email: string): string {
  const kind = rng.pick(['list', 'trace', 'json'] as const);
  if (kind === 'list') {
    return [
      `- order ${orderId}`,
      `- ordered on 2025-0${rng.int(6, 9)}-${String(rng.int(10, 28))}`,
      `- paid with ${rng.pick(['visa', 'paypal', 'mastercard', 'apple pay'])}`,
      `- tracking says ${rng.pick(['delivered', 'in transit', 'label created'])}`,
      `- ${rng.pick(['nothing at my door', 'box was empty', 'wrong colour', 'still waiting'])}`,
    ].join('\n');
  }
  if (kind === 'trace') {
    return [
      `Error: ${rng.pick(['Payment failed (code 402)', 'Request failed with status code 500', "TypeError: Cannot read properties of undefined (reading 'items')"])}`,
      `    at Checkout.submit (https://shop.example/static/js/checkout.${digits(rng, 5)}.js:1:${rng.int(1000, 60000)})`,
      '    at async HTMLFormElement.onSubmit (https://shop.example/static/js/app.js:2:1187)',
      `    at process (https://shop.example/static/js/vendor.js:1:${rng.int(100, 9000)})`,
    ].join('\n');
  }
  return JSON.stringify(
    { order_id: orderId, customer: email, status: rng.pick(['PAYMENT_PENDING', 'ERROR', 'ON_HOLD']), code: rng.pick(['E_DECLINED', 'E_TIMEOUT', 'E_ADDRESS']), ts: `2025-09-${rng.int(10, 28)}T${rng.int(10, 23)}:${rng.int(10, 59)}:00Z` },
    null,
    rng.chance(0.5) ? 2 : undefined,
  );
}
