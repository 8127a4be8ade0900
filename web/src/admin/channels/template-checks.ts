import { placeholderIssues, SMS_MAX_CHARS, TEMPLATE_VARIABLE, WHATSAPP_LANGUAGE, WHATSAPP_TEMPLATE_NAME } from '../../../../common/src/message-templates';
import type { Translate } from '../../shared/i18n';
import type { ChannelsAdminKey } from './channels-admin-messages';
import type { TemplateInput } from './templates-api';

export type TemplateField = 'subject' | 'text' | 'waName' | 'waLanguage' | 'waParams' | 'waQuickReplies';
export type TemplateErrors = Partial<Record<TemplateField, string>>;

const braces = (names: readonly string[]) => names.map((v) => `{{${v}}}`).join(', ');

/** What the client would read wrongly, said before saving (the server refuses the same things). */
export function textProblems(t: Translate<ChannelsAdminKey>, text: string, allowed: readonly string[], emptyKey: ChannelsAdminKey): string | undefined {
  if (!text.trim()) return t(emptyKey);
  const messages = placeholderIssues(text, allowed).map((issue) => {
    switch (issue.kind) {
      case 'unknown':
        return t('tplErrUnknown', { found: issue.found.join(', '), allowed: braces(allowed) });
      case 'unclosed':
        return t('tplErrUnclosed', { example: `{{${allowed[0]}}}` });
      case 'single':
        return t('tplErrSingle', { found: issue.found.join(', '), example: issue.found.map((f) => `{${f}}`).join(', ') });
    }
  });
  return messages.length ? messages.join(' ') : undefined;
}

export function templateErrors(t: Translate<ChannelsAdminKey>, draft: TemplateInput, allowed: readonly string[]): TemplateErrors {
  const e: TemplateErrors = {};
  const subject = textProblems(t, draft.subject, allowed, 'tplErrSubjectEmpty');
  if (subject) e.subject = subject;
  const text = textProblems(t, draft.text, allowed, 'tplErrTextEmpty');
  if (text) e.text = text;
  const wa = draft.whatsapp;
  if (wa) {
    if (!WHATSAPP_TEMPLATE_NAME.test(wa.name)) e.waName = t('tplErrWaName');
    if (!WHATSAPP_LANGUAGE.test(wa.language)) e.waLanguage = t('tplErrWaLanguage');
    if (wa.params.some((p) => !allowed.includes(p))) e.waParams = t('tplErrWaParams');
    if ((wa.quickReplies ?? []).some((p) => !p)) e.waQuickReplies = t('tplErrWaQuickReplies');
  }
  return e;
}

/**
 * The text as the client's channel will carry it (an SMS longer than the limit is cut before the
 * link). Unlike the server, an unknown {{variable}} is left as typed, so the preview shows it.
 */
export function renderFor(text: string, vars: Record<string, string>, channel: 'email' | 'sms' | 'whatsapp', allowed: readonly string[]): string {
  const out = text.replace(TEMPLATE_VARIABLE, (m, name: string) => (allowed.includes(name) ? (vars[name] ?? '') : m));
  if (channel !== 'sms' || out.length <= SMS_MAX_CHARS) return out;
  const tail = vars.link ? ` […] Suite : ${vars.link}` : ' […]';
  return out.slice(0, SMS_MAX_CHARS - tail.length).trimEnd() + tail;
}

// GSM 03.38: the characters an SMS carries at 160 per part; the second set counts twice.
const GSM = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXT = '^{}\\[~]|€\f';

/**
 * How many SMS parts a text costs: 160 characters (153 per part when split) in the GSM alphabet;
 * one character outside it (’ « » ê ç, an emoji) makes the whole SMS Unicode, 70 (67 per part).
 */
export function smsParts(text: string): { chars: number; parts: number; unicode: boolean; outside: string[] } {
  const outside = [...new Set([...text].filter((c) => !GSM.includes(c) && !GSM_EXT.includes(c)))];
  if (outside.length) {
    const units = text.length; // UTF-16 code units, as the SMS counts them
    return { chars: units, parts: units <= 70 ? 1 : Math.ceil(units / 67), unicode: true, outside };
  }
  const units = [...text].reduce((n, c) => n + (GSM_EXT.includes(c) ? 2 : 1), 0);
  return { chars: units, parts: units <= 160 ? 1 : Math.ceil(units / 153), unicode: false, outside };
}
