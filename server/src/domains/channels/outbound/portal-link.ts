import type { AppContext } from '../../../platform/context';

/**
 * The link put in "ticket received" messages. The portal (server/src/domains/portal) owns
 * magic-link tokens; until it exposes a way to mint one for a contact, clients get the portal
 * page where they ask for their link. Single call site: replace it here.
 */
export function portalLink(ctx: AppContext): string {
  return `${ctx.config.publicUrl}/mes-demandes`;
}
