import type { Config } from '../../../config';
import { secretWarningMessage } from '../../knowledge/guard/warning';
import { magicLinkUrl } from '../../portal/portal-session';
import { RATING_BUTTONS, satisfactionWords } from './rating-question';
import type { TemplateKey } from './templates';

export type PreviewChannel = 'email' | 'sms' | 'whatsapp';

/** A made-up magic-link token of the real length, so the preview's SMS is as long as a real one. */
const SAMPLE_TOKEN = 'Xk3v9QeT7mLp2RbW8nYc4HsJ6dFa1GzU';

/**
 * Values for the admin's preview of a template, built by the same functions that fill the real
 * message, so what the admin reads is what the client will read — except the person and the
 * request, which are invented.
 */
export function templateExamples(config: Pick<Config, 'publicUrl' | 'ticketPrefix'>, key: TemplateKey): Record<PreviewChannel, Record<string, string>> {
  const base: Record<string, string> = {
    name: 'Jeanne Dupuis',
    number: `${config.ticketPrefix}-10042`,
    subject: 'Mon ordinateur ne s’allume plus',
    // "ticket received" and "magic link" carry a sign-in link; the others the portal's address.
    link: key === 'ticket_received' || key === 'magic_link' ? magicLinkUrl(config, SAMPLE_TOKEN) : `${config.publicUrl}/mes-demandes`,
    agent: 'Camille Martin',
    body: 'Pouvez-vous débrancher la prise de l’ordinateur pendant une minute, puis le rallumer ?',
    message: secretWarningMessage(['card_number']),
  };
  const per = (channel: PreviewChannel) => (key === 'resolved' ? { ...base, satisfaction: satisfactionWords(config, channel, 'exemple') } : base);
  return { email: per('email'), sms: per('sms'), whatsapp: per('whatsapp') };
}

/** The reply buttons sent under a WhatsApp message within the 24-hour window (the satisfaction answers). */
export function whatsappReplyButtons(key: TemplateKey): string[] {
  return key === 'resolved' ? RATING_BUTTONS.map((b) => b.title) : [];
}
