import { createHmac } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Executor } from '../../platform/db';
import { portalKey } from './secrets';

export const VERIFICATION_ZONE = 'Europe/Paris';

/** The civil day the code belongs to: it changes at midnight in Paris, not in UTC. */
export function verificationDay(now: Date): string {
  return DateTime.fromJSDate(now, { zone: VERIFICATION_ZONE }).toISODate()!;
}

/** Four digits from an HMAC of the ticket and the day; pure, so it can be checked in tests. */
export function computeVerificationCode(key: Buffer, ticketId: string, day: string): string {
  const mac = createHmac('sha256', key).update(`${ticketId}|${day}`).digest();
  return String(mac.readUInt32BE(0) % 10000).padStart(4, '0');
}

/**
 * "Est-ce vraiment mon conseiller ?": the portal and the agent console show the same 4 digits
 * for a request on a given day, so a client can tell a real adviser from a scammer on the phone.
 * The secret lives in PostgreSQL, so every app node gives the same code.
 */
export async function verificationCodeFor(db: Executor, ticketId: string, now = new Date()): Promise<string> {
  return computeVerificationCode(await portalKey(db, 'verification-code'), ticketId, verificationDay(now));
}
