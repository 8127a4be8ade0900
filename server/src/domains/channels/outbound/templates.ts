import { sql } from 'drizzle-orm';
import { placeholderIssues, QUICK_REPLY_PAYLOADS, renderTemplate, variablesUsed, type PlaceholderIssue } from '../../../../../common/src/message-templates';
import type { ContactTemplate } from '../../../platform/contact-notifications';
import type { AppContext } from '../../../platform/context';
import type { DB, Executor } from '../../../platform/db';
import { unprocessable } from '../../../platform/errors';
import { getSetting, putSetting } from '../../queues/settings';

export { variablesUsed };

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

export const render = renderTemplate;

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

/**
 * A template as this node last read them, for the senders: every save goes through putSetting,
 * which announces the change (NOTIFY), so each node's config cache forgets them at commit.
 */
export async function cachedTemplate(ctx: Pick<AppContext, 'cache' | 'db'>, key: TemplateKey): Promise<MessageTemplate> {
  const stored = await ctx.cache.get(TEMPLATES_SETTING, () => getSetting<StoredTemplates>(ctx.db, TEMPLATES_SETTING, {}));
  return stored[key] ?? DEFAULT_TEMPLATES[key];
}

export type TemplateChange = Omit<MessageTemplate, 'whatsapp'> & { whatsapp?: WhatsAppTemplateRef | null };

export interface TemplateProblem {
  field: string;
  problem: string;
}

const braces = (names: readonly string[]) => names.map((v) => `{{${v}}}`).join(', ');

function describeIssue(issue: PlaceholderIssue, allowed: readonly string[]): string {
  switch (issue.kind) {
    case 'unknown':
      return `variable(s) inconnue(s) : ${issue.found.join(', ')} ; disponibles : ${braces(allowed)}`;
    case 'unclosed':
      return `accolades {{ ou }} seules : une variable s’écrit en entier, par exemple {{${allowed[0]}}}`;
    case 'single':
      return `${issue.found.join(', ')} : une variable s’écrit avec deux accolades de chaque côté, par exemple {{${allowed[0]}}}`;
  }
}

/**
 * Why a template cannot be saved, field by field (empty when it can): each problem names the
 * field as the API received it, so the admin screen puts it next to the right input.
 */
export function templateProblems(key: TemplateKey, value: TemplateChange): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const field = (part: string) => `body.templates.${key}.${part}`;
  const allowed = TEMPLATE_INFO[key].variables;
  if (!value.subject.trim()) problems.push({ field: field('subject'), problem: 'l’objet ne peut pas être vide' });
  // A line break in a subject would be cut by mail clients, or worse, read as another header.
  if (/[\r\n]/.test(value.subject)) problems.push({ field: field('subject'), problem: 'l’objet tient sur une seule ligne' });
  if (!value.text.trim()) problems.push({ field: field('text'), problem: 'le texte ne peut pas être vide' });
  for (const part of ['subject', 'text'] as const) {
    for (const issue of placeholderIssues(value[part], allowed)) problems.push({ field: field(part), problem: describeIssue(issue, allowed) });
  }
  const wa = value.whatsapp;
  if (wa) {
    const unknownParams = wa.params.filter((v) => !allowed.includes(v));
    if (unknownParams.length) problems.push({ field: field('whatsapp.params'), problem: `variable(s) inconnue(s) : ${unknownParams.join(', ')} ; disponibles : ${allowed.join(', ')}` });
    const unknownPayloads = (wa.quickReplies ?? []).filter((p) => !(QUICK_REPLY_PAYLOADS as readonly string[]).includes(p));
    if (unknownPayloads.length) {
      problems.push({ field: field('whatsapp.quickReplies'), problem: `réponse(s) rapide(s) que Relais ne sait pas traiter : ${unknownPayloads.join(', ')} ; possibles : ${QUICK_REPLY_PAYLOADS.join(', ')}` });
    }
  }
  return problems;
}

/**
 * Replaces the given templates (null: back to the default), all or none: a template that would
 * reach a client wrongly is refused with every problem found. The read and the write are one
 * transaction under a lock, so two admins saving different templates both keep their change.
 */
export async function saveTemplates(db: DB, changes: Partial<Record<string, TemplateChange | null>>): Promise<void> {
  const problems: TemplateProblem[] = [];
  for (const [key, value] of Object.entries(changes)) {
    if (!(TEMPLATE_KEYS as readonly string[]).includes(key)) {
      problems.push({ field: `body.templates.${key}`, problem: `modèle inconnu (modèles : ${TEMPLATE_KEYS.join(', ')})` });
      continue;
    }
    if (value) problems.push(...templateProblems(key as TemplateKey, value));
  }
  if (problems.length) throw unprocessable('INVALID_TEMPLATE', `Modèle invalide : ${problems[0]!.field} — ${problems[0]!.problem}`, problems);
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${TEMPLATES_SETTING}, 0))`);
    const next: StoredTemplates = { ...(await getSetting<StoredTemplates>(tx, TEMPLATES_SETTING, {})) };
    for (const [key, value] of Object.entries(changes)) {
      const k = key as TemplateKey;
      if (value === null || value === undefined) delete next[k];
      else next[k] = { subject: value.subject, text: value.text, whatsapp: value.whatsapp ?? null };
    }
    await putSetting(tx, TEMPLATES_SETTING, next);
  });
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
