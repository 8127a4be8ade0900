import type { ContactTemplate } from '../../../platform/contact-notifications';
import type { Executor } from '../../../platform/db';
import { unprocessable } from '../../../platform/errors';
import { getSetting, putSetting } from '../../queues/settings';

export const TEMPLATE_KEYS = ['ticket_received', 'magic_link', 'agent_reply', 'waiting_on_you', 'resolved', 'secret_warning'] as const satisfies readonly ContactTemplate[];
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

export const TEMPLATES_SETTING = 'channels.templates';

/** An approved WhatsApp template: the only thing Meta delivers more than 24 h after the client's last message. */
export interface WhatsAppTemplateRef {
  name: string;
  language: string;
  /** Variables passed, in order, as the body parameters {{1}}, {{2}}… */
  params: string[];
  /**
   * Payloads of the template's quick-reply buttons, by button index (Meta sends the payload back
   * when one is tapped): `rating:5`, `rating:3`, `rating:1` for the satisfaction question,
   * `callback` for "Être rappelé".
   */
  quickReplies?: string[];
}

export interface MessageTemplate {
  /** Email subject. */
  subject: string;
  /** The text: email body, SMS, and WhatsApp within the 24-hour window. */
  text: string;
  whatsapp: WhatsAppTemplateRef | null;
}

export interface TemplateInfo {
  label: string;
  variables: string[];
}

export const TEMPLATE_INFO: Record<TemplateKey, TemplateInfo> = {
  ticket_received: { label: 'Demande enregistrée (numéro et lien de suivi)', variables: ['name', 'number', 'subject', 'link'] },
  magic_link: { label: 'Lien de connexion à « Mes demandes »', variables: ['name', 'link'] },
  agent_reply: { label: 'Réponse d’un conseiller', variables: ['name', 'number', 'subject', 'agent', 'body', 'link'] },
  waiting_on_you: { label: 'Nous attendons votre réponse', variables: ['name', 'number', 'subject', 'link'] },
  resolved: { label: 'Demande résolue et question de satisfaction', variables: ['name', 'number', 'subject', 'link', 'satisfaction'] },
  secret_warning: { label: 'Informations secrètes masquées dans un message du client', variables: ['name', 'number', 'message'] },
};

/** Plain French for clients who are often elderly: short sentences, one action each. */
export const DEFAULT_TEMPLATES: Record<TemplateKey, MessageTemplate> = {
  ticket_received: {
    subject: 'Votre demande {{number}} est bien enregistrée',
    text: 'Bonjour {{name}},\n\nNous avons bien reçu votre demande. Son numéro est {{number}}.\nGardez ce numéro : il vous sera demandé si vous nous appelez.\n\nPour suivre votre demande : {{link}}\n\nUn conseiller vous répond dès que possible.',
    whatsapp: null,
  },
  magic_link: {
    subject: 'Votre lien pour suivre vos demandes',
    text: 'Bonjour {{name}},\n\nVoici votre lien pour suivre vos demandes : {{link}}\n\nCe lien est personnel : ne le transmettez à personne.',
    whatsapp: null,
  },
  agent_reply: {
    subject: 'Re: {{subject}} [{{number}}]',
    text: 'Bonjour {{name}},\n\n{{body}}\n\n{{agent}}\nDemande {{number}} — répondez simplement à ce message pour continuer.',
    whatsapp: null,
  },
  waiting_on_you: {
    subject: 'Nous attendons votre réponse [{{number}}]',
    text: 'Bonjour {{name}},\n\nPour avancer sur votre demande {{number}}, nous avons besoin de votre réponse.\nRépondez simplement à ce message, ou suivez votre demande ici : {{link}}',
    whatsapp: null,
  },
  resolved: {
    subject: 'Votre demande {{number}} est résolue',
    // {{satisfaction}}: how to answer on the channel used (links by email, a digit by SMS, buttons on WhatsApp).
    text: 'Bonjour {{name}},\n\nVotre demande {{number}} est résolue.\n\nÊtes-vous satisfait(e) de notre aide ?\n{{satisfaction}}\n\nSi le problème n’est pas réglé, répondez simplement à ce message : nous reprenons votre demande.',
    whatsapp: null,
  },
  secret_warning: {
    subject: 'Important : protégez vos informations [{{number}}]',
    text: '{{message}}',
    whatsapp: null,
  },
};

const VARIABLE = /\{\{\s*([a-zA-Z_]+)\s*\}\}/g;

export function render(template: string, variables: Record<string, string>): string {
  return template.replace(VARIABLE, (_m, name: string) => variables[name] ?? '');
}

export function variablesUsed(template: string): string[] {
  return [...template.matchAll(VARIABLE)].map((m) => m[1]!);
}

export type StoredTemplates = Partial<Record<TemplateKey, MessageTemplate>>;

export async function loadTemplates(db: Executor): Promise<Record<TemplateKey, MessageTemplate & { isDefault: boolean }>> {
  const stored = await getSetting<StoredTemplates>(db, TEMPLATES_SETTING, {});
  return Object.fromEntries(
    TEMPLATE_KEYS.map((k) => {
      const own = stored[k];
      return [k, own ? { ...own, isDefault: false } : { ...DEFAULT_TEMPLATES[k], isDefault: true }];
    }),
  ) as Record<TemplateKey, MessageTemplate & { isDefault: boolean }>;
}

export async function loadTemplate(db: Executor, key: TemplateKey): Promise<MessageTemplate> {
  const stored = await getSetting<StoredTemplates>(db, TEMPLATES_SETTING, {});
  return stored[key] ?? DEFAULT_TEMPLATES[key];
}

/** Replaces the given templates (null: back to the default); a variable the template cannot have is refused. */
export type TemplateChange = Omit<MessageTemplate, 'whatsapp'> & { whatsapp?: WhatsAppTemplateRef | null };

export async function saveTemplates(db: Executor, changes: Partial<Record<string, TemplateChange | null>>): Promise<void> {
  const problems: { field: string; problem: string }[] = [];
  const stored = await getSetting<StoredTemplates>(db, TEMPLATES_SETTING, {});
  const next: StoredTemplates = { ...stored };
  for (const [key, value] of Object.entries(changes)) {
    if (!(TEMPLATE_KEYS as readonly string[]).includes(key)) {
      problems.push({ field: `body.templates.${key}`, problem: `modèle inconnu (modèles : ${TEMPLATE_KEYS.join(', ')})` });
      continue;
    }
    const k = key as TemplateKey;
    if (value === null || value === undefined) {
      delete next[k];
      continue;
    }
    const allowed = TEMPLATE_INFO[k].variables;
    for (const [part, text] of [['subject', value.subject], ['text', value.text]] as const) {
      const unknown = variablesUsed(text).filter((v) => !allowed.includes(v));
      if (unknown.length) problems.push({ field: `body.templates.${k}.${part}`, problem: `variable(s) inconnue(s) : ${unknown.map((v) => `{{${v}}}`).join(', ')} ; disponibles : ${allowed.map((v) => `{{${v}}}`).join(', ')}` });
    }
    if (!value.text.trim()) problems.push({ field: `body.templates.${k}.text`, problem: 'le texte ne peut pas être vide' });
    const unknownParams = (value.whatsapp?.params ?? []).filter((v) => !allowed.includes(v));
    if (unknownParams.length) problems.push({ field: `body.templates.${k}.whatsapp.params`, problem: `variable(s) inconnue(s) : ${unknownParams.join(', ')}` });
    next[k] = { subject: value.subject, text: value.text, whatsapp: value.whatsapp ?? null };
  }
  if (problems.length) throw unprocessable('INVALID_TEMPLATE', `Modèle invalide : ${problems[0]!.field} — ${problems[0]!.problem}`, problems);
  await putSetting(db, TEMPLATES_SETTING, next);
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The HTML part of an email: the same text, paragraphs kept, links clickable. */
export function textToHtml(text: string): string {
  const paragraphs = text.split(/\n{2,}/).map((p) =>
    escapeHtml(p)
      .replace(/(https?:\/\/[^\s<]+[^\s<.,;:!?)])/g, '<a href="$1">$1</a>')
      .replace(/\n/g, '<br>'),
  );
  return `<!doctype html><html lang="fr"><body style="font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a">${paragraphs.map((p) => `<p>${p}</p>`).join('')}</body></html>`;
}
