import { getCountrySpecifications, isValidIBAN } from 'ibantools';
import { matchesOf } from '../triage/matches';
import type { Detection } from './types';

const COUNTRIES = getCountrySpecifications();
// Country code and check digits, not glued to a longer word ("FR76", "fr76", "_FR76").
const IBAN_START = /(?<![\p{L}\p{N}])[A-Za-z]{2}\d{2}/gu;
const SEPARATOR = /^[ \u00A0\u202F-]$/;

export const IBAN_REASON = 'IBAN masqué (clé de contrôle vérifiée)';

/**
 * Reads exactly as many characters as the country's IBAN has, skipping single
 * separators, so that the words typed after it are not swallowed. Only a
 * valid checksum counts: a BIC or a reference that merely looks like an IBAN
 * stays visible.
 */
export function detectIbans(text: string): Detection[] {
  const found: Detection[] = [];
  for (const head of matchesOf(IBAN_START, text)) {
    const country = head[0].slice(0, 2).toUpperCase();
    const length = COUNTRIES[country]?.chars;
    if (!length) continue;
    let compact = '';
    let index = head.index;
    let previousWasSeparator = false;
    while (index < text.length && compact.length < length) {
      const ch = text[index] ?? '';
      if (/[A-Za-z0-9]/.test(ch)) {
        compact += ch;
        previousWasSeparator = false;
      } else if (SEPARATOR.test(ch) && !previousWasSeparator && compact.length > 0) {
        previousWasSeparator = true;
      } else break;
      index++;
    }
    const gluedToMore = /[A-Za-z0-9]/.test(text[index] ?? '');
    const electronic = compact.toUpperCase();
    if (compact.length !== length || gluedToMore || !isValidIBAN(electronic)) continue;
    found.push({ kind: 'iban', start: head.index, end: index, reason: IBAN_REASON, mask: `${electronic.slice(0, 4)} •••• … ${electronic.slice(-3)}` });
  }
  return found;
}
