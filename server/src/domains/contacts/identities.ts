import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { unprocessable } from '../../platform/errors';

/**
 * Numbers already read, as written → E.164: parsing one with its metadata costs ~0.07 ms, and an
 * inbound message reads its sender's number several times (thread, new contact, lock key).
 */
const readNumbers = new Map<string, string>();
const READ_NUMBERS_KEPT = 10_000;

/** Normalises a phone number to E.164; French numbers may be written the French way (06 12 34 56 78). */
export function normalizePhone(input: string, field = 'phone'): string {
  const known = readNumbers.get(input);
  if (known) return known;
  const parsed = parsePhoneNumberFromString(input.trim(), 'FR');
  if (!parsed || !parsed.isValid()) {
    throw unprocessable('INVALID_PHONE', `Le numéro de téléphone « ${input} » n'est pas valide (champ ${field}).`, { field });
  }
  if (readNumbers.size >= READ_NUMBERS_KEPT) readNumbers.clear();
  readNumbers.set(input, parsed.number);
  return parsed.number;
}

export function normalizeEmail(input: string, field = 'email'): string {
  const email = input.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
    throw unprocessable('INVALID_EMAIL', `L'adresse email « ${input} » n'est pas valide (champ ${field}).`, { field });
  }
  return email;
}

/** WhatsApp ids are the phone number in international form without "+"; we store E.164. */
export function normalizeWhatsapp(input: string, field = 'whatsappId'): string {
  const digits = input.trim().replace(/^\+/, '');
  return normalizePhone(`+${digits}`, field);
}
