import { useChannelsAdminT, type ChannelsAdminKey } from './channels-admin-messages';
import type { TemplateKey } from './templates-api';

const NAME: Record<TemplateKey, ChannelsAdminKey> = {
  ticket_received: 'tplName_ticket_received',
  magic_link: 'tplName_magic_link',
  agent_reply: 'tplName_agent_reply',
  waiting_on_you: 'tplName_waiting_on_you',
  resolved: 'tplName_resolved',
  secret_warning: 'tplName_secret_warning',
};
const WHEN: Record<TemplateKey, ChannelsAdminKey> = {
  ticket_received: 'tplWhen_ticket_received',
  magic_link: 'tplWhen_magic_link',
  agent_reply: 'tplWhen_agent_reply',
  waiting_on_you: 'tplWhen_waiting_on_you',
  resolved: 'tplWhen_resolved',
  secret_warning: 'tplWhen_secret_warning',
};
const VARIABLE: Record<string, ChannelsAdminKey> = {
  name: 'var_name',
  number: 'var_number',
  subject: 'var_subject',
  link: 'var_link',
  agent: 'var_agent',
  body: 'var_body',
  satisfaction: 'var_satisfaction',
  message: 'var_message',
};

/** The admin's words for each client message and each piece of information it can carry. */
export function useTemplateWords() {
  const t = useChannelsAdminT();
  return {
    name: (k: TemplateKey) => t(NAME[k]),
    when: (k: TemplateKey) => t(WHEN[k]),
    /** {{link}} is a personal sign-in link in two messages, the portal's address in the others. */
    variable: (v: string, k: TemplateKey) => (v === 'link' && (k === 'ticket_received' || k === 'magic_link') ? t('var_link_personal') : VARIABLE[v] ? t(VARIABLE[v]) : v),
  };
}
