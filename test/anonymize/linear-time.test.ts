import { describe, expect, it } from 'vitest';
import { createAnonymizer } from '../../src/anonymize/index.ts';
import { KEY } from './fixture.ts';

/**
 * No catastrophic backtracking: each adversarial input is timed against benign chat text of
 * the same length, redacted by the same code in the same test (so machine load hits both),
 * best of three interleaved runs each. Linear code stays within a small factor of the
 * baseline (the worst, a text of names, is about 10×: one surrogate per word); anything
 * super-linear on half a megabyte takes many seconds to minutes (or hits the test timeout), so
 * a generous bound — 60× plus one second for GC pauses on a loaded 2-core machine — is robust
 * and still decisive (the quadratic overlap check this test once caught took 46 s on a megabyte).
 */
const MB = 1 << 20;
/** Half a megabyte: super-linear work on it is still ~10⁵× the linear cost, and the suite stays quick. */
const SIZE = MB / 2;
const fill = (unit: string, bytes = SIZE): string => unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
const digitSoup = (bytes: number): string => {
  let s = '';
  let x = 12345;
  while (s.length < bytes) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += String(x).padStart(10, '0');
  }
  return s.slice(0, bytes);
};

const ADVERSARIAL: Array<[string, string]> = [
  ['4 MB of digit soup', digitSoup(4 * MB)],
  ['digits and single spaces', fill('1 2 3 4 5 6 7 8 9 0 ')],
  ['digits and dashes', fill('12-34-56-78-90-')],
  ['an a.a.a. chain', fill('a.')],
  ['an a.a.a. chain around an @', `${fill('a.', SIZE / 2)}@${fill('b.', SIZE / 2)}`],
  ['unterminated emails', fill('john.doe@example')],
  ['repeated @', fill('a@')],
  ['url-encoded @ runs', fill('x%40')],
  ['long word run', fill('a')],
  ['capitalised first names', fill('Maria ')],
  ['name triggers', fill('my name is ')],
  ['unterminated PEM blocks', fill('-----BEGIN PRIVATE KEY-----\n')],
  ['key prefix then a long tail', `sk-${fill('a', SIZE - 3)}`],
  ['JWT-like dots', fill('eyJa.')],
  ['credential keys', fill('password=token=')],
  ['bearer words', fill('Bearer bearer ')],
  ['hex and colons', fill('a:')],
  ['dotted numbers', fill('1.')],
  ['street-like words', fill('12 Main ')],
  ['IBAN-like prefixes', fill('DE89 ')],
  ['URL with many segments', `/${fill('a/', SIZE - 1)}`],
];

const BENIGN_UNIT =
  'Hi, my order 48213 has not arrived yet, can you check? It was supposed to arrive on Monday. ' +
  'I checked: it is in transit with DHL and should arrive within 2 business days. Anything else? ';

/** Fastest of three interleaved runs of each, so a burst of load hits both sides alike. */
function bestTimes(adversarial: string, baseline: string): [number, number] {
  const best = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  for (let i = 0; i < 3; i++) {
    [adversarial, baseline].forEach((text, side) => {
      const a = createAnonymizer({ key: KEY }); // fresh: no cache hit on a later run
      const t0 = performance.now();
      a.redactText(text);
      best[side] = Math.min(best[side] as number, performance.now() - t0);
    });
  }
  return best as [number, number];
}

describe('redaction runs in linear time on adversarial input', () => {
  it.each(ADVERSARIAL)('%s', (_name, text) => {
    const [adversarial, baseline] = bestTimes(text, fill(BENIGN_UNIT, text.length));
    expect(adversarial).toBeLessThan(60 * baseline + 1000);
  });
});
