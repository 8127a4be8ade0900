import { matchesOf } from '../triage/matches';
import { looksLikeCardNumber } from './luhn';
import type { Detection } from './types';

// Digits separated by spaces (also the non-breaking ones French keyboards insert), dashes or dots.
const SEPARATOR = '(?:[ \\u00A0\\u202F]{1,2}|[ \\u00A0\\u202F]?[-.][ \\u00A0\\u202F]?)';
const DIGIT_RUN = new RegExp(`(?<!\\p{N})\\d(?:${SEPARATOR}?\\d){11,}(?!\\p{N})`, 'gu');
const EXPIRY = /(?<![\p{N}/])(0?[1-9]|1[0-2]) ?[/\-.] ?(\d{2}|20\d{2})(?![\p{N}/])/u;
const EXPIRY_AFTER_WORD = /\b(?:exp\w*|validit\w*|fin)\b\D{0,12}?((?:0[1-9]|1[0-2])\d{2})(?!\p{N})/iu;
const TRAILING_CVV = /^[\s,;:/-]*(?:(?:et|cvv2?|cvc2?|crypto\w*|code)\s*[:=]?\s*)?(\d{3,4})(?![\p{N}/.,]|\s\d)(?!\s*(?:€|euros?\b|eur\b|%))/iu;
const SIRET_NEARBY = /\b(?:siret|siren|tva)\b/i;

export const CARD_REASON = "Numéro de carte bancaire masqué (vérifié par l'algorithme de Luhn)";

interface Group {
  digits: string;
  start: number;
  end: number;
}

function groupsOf(run: string, offset: number): Group[] {
  return matchesOf(/\d+/g, run).map((m) => ({ digits: m[0], start: offset + m.index, end: offset + m.index + m[0].length }));
}

/**
 * The card inside a run of digit groups: the whole run, or its first groups
 * when an expiry or a CVV was typed right after it. Phone-style pairs
 * ("06 12 34 56 78") never qualify as card groups.
 */
function cardWithin(groups: Group[]): Group[] | null {
  const all = groups.map((g) => g.digits).join('');
  if (looksLikeCardNumber(all)) return groups;
  for (let count = groups.length - 1; count >= 1; count--) {
    const head = groups.slice(0, count);
    const cardLikeGrouping = count === 1 || ((head[0]?.digits.length ?? 0) >= 4 && head.every((g) => g.digits.length >= 3));
    if (cardLikeGrouping && looksLikeCardNumber(head.map((g) => g.digits).join(''))) return head;
  }
  return null;
}

function looksLikeSiret(text: string, groups: Group[], start: number): boolean {
  const shape = groups.map((g) => g.digits.length).join('-');
  return shape === '3-3-3-5' || shape === '9-5' || SIRET_NEARBY.test(text.slice(Math.max(0, start - 25), start));
}

/** `taken`: spans already claimed (IBANs), whose digits must not be read as a card. */
export function detectCards(text: string, taken: readonly Detection[] = []): Detection[] {
  const found: Detection[] = [];
  for (const run of matchesOf(DIGIT_RUN, text)) {
    const runEnd = run.index + run[0].length;
    if (taken.some((t) => run.index < t.end && t.start < runEnd)) continue;
    const groups = groupsOf(run[0], run.index);
    const card = cardWithin(groups);
    const first = card?.[0];
    const last = card?.[card.length - 1];
    if (!card || !first || !last || looksLikeSiret(text, card, first.start)) continue;
    const digits = card.map((g) => g.digits).join('');
    found.push({ kind: 'card_number', start: first.start, end: last.end, reason: CARD_REASON, mask: `•••• •••• •••• ${digits.slice(-4)}` });
    found.push(...detailsAround(text, first.start, last.end));
  }
  return found;
}

/** Expiry date and CVV typed next to a card number: "4970… exp 04/27 cvv 123". */
function detailsAround(text: string, cardStart: number, cardEnd: number): Detection[] {
  const details: Detection[] = [];
  let cursor = cardEnd;

  const after = text.slice(cardEnd, cardEnd + 40);
  const slashed = EXPIRY.exec(after);
  const worded = slashed ? null : EXPIRY_AFTER_WORD.exec(after);
  if (slashed) {
    const start = cardEnd + slashed.index;
    details.push(expiryDetection(start, start + slashed[0].length));
    cursor = start + slashed[0].length;
  } else if (worded?.[1]) {
    const end = cardEnd + worded.index + worded[0].length;
    details.push(expiryDetection(end - worded[1].length, end));
    cursor = end;
  } else {
    const beforeStart = Math.max(0, cardStart - 30);
    const before = EXPIRY.exec(text.slice(beforeStart, cardStart));
    if (before) details.push(expiryDetection(beforeStart + before.index, beforeStart + before.index + before[0].length));
  }

  const cvv = TRAILING_CVV.exec(text.slice(cursor, cursor + 30));
  if (cvv?.[1]) {
    const start = cursor + cvv.index + cvv[0].length - cvv[1].length;
    details.push({
      kind: 'cvv',
      start,
      end: start + cvv[1].length,
      reason: 'Cryptogramme masqué (chiffres écrits juste après le numéro de carte)',
      mask: '•••',
    });
  }
  return details;
}

function expiryDetection(start: number, end: number): Detection {
  return { kind: 'card_expiry', start, end, reason: "Date d'expiration de carte masquée (écrite à côté du numéro de carte)", mask: '••/••' };
}
