import { describe, it, expect } from 'vitest';
import { looksLikeCardNumber, passesLuhn } from './luhn';

describe('passesLuhn', () => {
  it.each(['4242424242424242', '5555555555554444', '378282246310005', '79927398713', '0'])('accepts %s', (digits) => {
    expect(passesLuhn(digits)).toBe(true);
  });

  it.each(['4242424242424241', '1234567812345678', '79927398710', '', '4242 4242 4242 4242', '42a2'])('rejects %s', (digits) => {
    expect(passesLuhn(digits)).toBe(false);
  });
});

describe('looksLikeCardNumber', () => {
  it.each([
    ['Visa', '4242424242424242'],
    ['Visa 13', '4222222222222'],
    ['Visa 19', '4000000000000000006'],
    ['Mastercard', '5555555555554444'],
    ['Mastercard 2-series', '2223003122003222'],
    ['Amex', '378282246310005'],
    ['Diners', '30569309025904'],
    ['Discover', '6011111111111117'],
    ['JCB', '3566002020360505'],
    ['UnionPay', '6200000000000005'],
  ])('%s', (_network, digits) => {
    expect(looksLikeCardNumber(digits)).toBe(true);
  });

  it.each([
    ['Luhn-valid SIRET starting with 7', '73282932000074'],
    ['Amex prefix with 16 digits', '3782822463100003'],
    ['Visa prefix with 15 digits', '424242424242424'],
    ['too short (Luhn-valid)', '424242424242'],
    ['too long (Luhn-valid)', '42424242424242424242'],
    ['fails Luhn', '4242424242424241'],
    ['starts with 0 (Luhn-valid)', '0000000000000000'],
    ['starts with 1 (Luhn-valid)', '1234567812345670'],
  ])('rejects %s', (_why, digits) => {
    expect(looksLikeCardNumber(digits)).toBe(false);
  });
});
