/** Luhn (mod 10) checksum, used by every payment card number. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * Issuer prefix and length of the networks clients actually hold (Visa, CB,
 * Mastercard, Maestro, Amex, Diners, JCB, Discover, UnionPay). Luhn alone lets
 * one random number in ten through, and SIRET numbers are Luhn-valid by design.
 */
export function looksLikeCardNumber(digits: string): boolean {
  const length = digits.length;
  if (length < 13 || length > 19 || !passesLuhn(digits)) return false;
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  switch (digits[0]) {
    case '4':
      return length === 13 || length === 16 || length === 19;
    case '5':
      return length >= 16;
    case '2':
      return length === 16 && four >= 2221 && four <= 2720;
    case '3':
      if (two === 34 || two === 37) return length === 15;
      if (two === 35) return length >= 16;
      return (two === 30 || two === 36 || two === 38 || two === 39) && length >= 14;
    case '6':
      return length >= 16;
    default:
      return false;
  }
}
