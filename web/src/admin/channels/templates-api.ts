import { api } from '../../shared/api';

/** The client notifications, in the order the server lists them (outbound/templates.ts). */
export const TEMPLATE_KEYS = ['ticket_received', 'magic_link', 'agent_reply', 'waiting_on_you', 'resolved', 'secret_warning'] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];
export type PreviewChannel = 'email' | 'sms' | 'whatsapp';

export interface WhatsAppTemplateRef {
  name: string;
  language: string;
  params: string[];
  quickReplies?: string[];
}

/** One template as `GET /settings/templates` gives it. */
export interface MessageTemplateView {
  key: TemplateKey;
  label: string;
  variables: string[];
  subject: string;
  text: string;
  whatsapp: WhatsAppTemplateRef | null;
  isDefault: boolean;
  default: { subject: string; text: string };
  /** Sample values per channel (only {{satisfaction}} differs), for the preview. */
  examples: Record<PreviewChannel, Record<string, string>>;
  /** Reply buttons sent under the WhatsApp message within the 24-hour window. */
  replyButtons: string[];
}

export interface TemplateInput {
  subject: string;
  text: string;
  whatsapp: WhatsAppTemplateRef | null;
}

export const templatesApi = {
  list: () => api.get<{ items: MessageTemplateView[] }>('/settings/templates').then((r) => r.items),
  /** null puts the default back. */
  save: (key: TemplateKey, value: TemplateInput | null) => api.put<{ items: MessageTemplateView[] }>('/settings/templates', { templates: { [key]: value } }).then((r) => r.items),
};

export const isTemplateKey = (k: string): k is TemplateKey => (TEMPLATE_KEYS as readonly string[]).includes(k);
