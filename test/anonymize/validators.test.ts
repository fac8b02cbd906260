import { describe, expect, it } from 'vitest';
import { classifyNumeric } from '../../src/anonymize/detect-structured.ts';
import {
  cpfValid,
  dniValid,
  ibanCheckDigits,
  ibanValid,
  isbn13Valid,
  luhnCheckDigit,
  luhnValid,
  nirValid,
  plausibleCard,
  ssnValid,
  verhoeffValid,
} from '../../src/anonymize/validators.ts';

describe('checksums', () => {
  it('Luhn and card brands', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnCheckDigit('411111111111111')).toBe('1');
    expect(plausibleCard('4111111111111111')).toBe(true);
    expect(plausibleCard('378282246310005')).toBe(true);
    expect(plausibleCard('1710498121000')).toBe(false); // a millisecond timestamp
  });

  it('IBAN mod-97 and country lengths', () => {
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('GB82WEST1234569876543')).toBe(false); // one character short
    expect(ibanCheckDigits('DE', '370400440532013000')).toBe('89');
  });

  it('national ids', () => {
    expect(ssnValid('078051120')).toBe(true);
    expect(ssnValid('000123456')).toBe(false);
    expect(ssnValid('666123456')).toBe(false);
    expect(cpfValid('11144477735')).toBe(true);
    expect(cpfValid('11111111111')).toBe(false);
    expect(dniValid('12345678Z')).toBe(true);
    expect(dniValid('12345678A')).toBe(false);
    expect(dniValid('X1234567L')).toBe(true);
    expect(verhoeffValid('2363')).toBe(true);
    expect(verhoeffValid('2364')).toBe(false);
    expect(nirValid('255081416802538')).toBe(true);
    expect(nirValid('255081416802539')).toBe(false);
    expect(isbn13Valid('9783161484100')).toBe(true);
  });
});

describe('classifyNumeric', () => {
  it.each([
    ['(415) 867-5309', '', 'phone'],
    ['+49 30 12345678', '', 'phone'],
    ['06 12 34 56 78', '', 'phone'],
    ['4111 1111 1111 1111', '', 'card'],
    ['123-45-6789', '', 'national_id'],
    ['4155550123', 'call me on ', 'phone'],
  ])('%s after %j is %s', (raw, before, type) => {
    expect(classifyNumeric(raw, before)).toBe(type);
  });

  it.each([
    ['2024-03-15', ''],
    ['4111 1111 1111 1112', ''],
    ['978-3-16-148410-0', ''],
    ['4829103847', 'order number '],
    ['1710498121', 'ts='],
    ['10.0.19045', 'build '],
  ])('%s after %j is nothing', (raw, before) => {
    expect(classifyNumeric(raw, before)).toBeUndefined();
  });
});
