import { detectCards } from './cards';
import { detectCodes } from './codes';
import { ContextText } from './context';
import { detectIbans } from './iban';
import { detectPasswords } from './passwords';
import type { Detection, GuardResult, SecretFinding, SecretKind } from './types';

/** When two detections overlap, the surer and more specific one wins. */
const PRIORITY: readonly SecretKind[] = ['iban', 'card_number', 'card_expiry', 'cvv', 'card_pin', 'otp_code', 'password'];

/**
 * Masks passwords, card numbers, IBANs and one-time codes in an inbound
 * message or attachment file name, before anything is stored. Masks keep what
 * helps the agent (last four digits of a card, start and end of an IBAN) and
 * nothing that could be used.
 */
export function guardSecrets(text: string): GuardResult {
  const ibans = detectIbans(text);
  const context = new ContextText(text);
  const detections = [...ibans, ...detectCards(text, ibans), ...detectCodes(context), ...detectPasswords(context)];
  const kept: Detection[] = [];
  for (const detection of detections.sort((a, b) => PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind) || a.start - b.start)) {
    if (detection.end > detection.start && !kept.some((k) => detection.start < k.end && k.start < detection.end)) kept.push(detection);
  }
  kept.sort((a, b) => a.start - b.start);

  let masked = '';
  let cursor = 0;
  const findings: SecretFinding[] = kept.map((d) => {
    masked += text.slice(cursor, d.start);
    const maskedStart = masked.length;
    masked += d.mask;
    cursor = d.end;
    return { kind: d.kind, start: d.start, end: d.end, maskedStart, maskedEnd: masked.length, reason: d.reason };
  });
  masked += text.slice(cursor);
  return { text: masked, findings };
}
