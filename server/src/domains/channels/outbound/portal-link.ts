import type { AppContext } from '../../../platform/context';
import type { Executor } from '../../../platform/db';
import { createMagicLink, magicLinkUrl } from '../../portal/portal-session';

/** The portal page where a client asks for a new link (used in reminders, which carry no secret). */
export function portalLink(ctx: AppContext): string {
  return `${ctx.config.publicUrl}/mes-demandes`;
}

/**
 * The magic link put in "ticket received" for a request made on a channel: it is sent to the
 * phone, WhatsApp or address the client wrote from, which proves they own it (portal rules).
 */
export async function magicLinkFor(ctx: AppContext, tx: Executor, contactId: string, ticketId: string): Promise<string> {
  return magicLinkUrl(ctx.config, await createMagicLink(tx, contactId, ticketId));
}
