import { conflict, unprocessable } from '../../../platform/errors';
import type { AppContext } from '../../../platform/context';
import type { StaffPrincipal } from '../../auth/auth-context';
import { EDITABLE, loadProviderSettings, mergeChannels, reloadChannels, writeProviderSettings, type Provider, type ProviderSettingsState, type Variable } from './provider-settings';

export interface SmtpInput {
  host: string;
  port: number;
  /** `tls`: TLS from the start (smtps, usually 465); `starttls`: plain then STARTTLS when the server offers it (usually 587). */
  security: 'tls' | 'starttls';
  user?: string | null;
  /** Absent: the saved password is kept. */
  password?: string;
}
export interface ImapInput {
  host: string;
  port: number;
  security: 'tls' | 'plain';
  user: string;
  password?: string;
  mailbox?: string | null;
}
export interface EmailInput {
  from?: string | null;
  smtp?: SmtpInput | null;
  imap?: ImapInput | null;
}
export interface WhatsAppInput {
  phoneNumberId: string;
  apiUrl?: string | null;
  appSecret?: string;
  verifyToken?: string;
  accessToken?: string;
}
export interface TwilioInput {
  accountSid: string;
  phoneNumber: string;
  agentNumber?: string | null;
  apiUrl?: string | null;
  authToken?: string;
}
export type ProviderInput = { provider: 'email'; body: EmailInput } | { provider: 'whatsapp'; body: WhatsAppInput } | { provider: 'twilio'; body: TwilioInput };

interface Problem {
  field: string;
  problem: string;
}

const HOST = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const enc = encodeURIComponent;

function httpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** The user and password of a saved SMTP_URL / IMAP_URL, to keep the password when only the rest changes. */
function credentialsOf(url: string | undefined): { user: string; password: string } | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return { user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
  } catch {
    return null;
  }
}

/**
 * The variables one provider's form stands for, checked field by field in the admin's words;
 * a secret left out keeps the saved one. Throws 409 when the environment sets what the form
 * tries to set (the environment wins: the screen shows those fields read-only), 422 otherwise.
 */
function variablesOf(input: ProviderInput, env: Readonly<Record<string, string>>, saved: ProviderSettingsState): Partial<Record<Variable, string>> {
  const problems: Problem[] = [];
  const fromEnv: string[] = [];
  const out: Partial<Record<Variable, string>> = {};
  const keep = (v: Variable, given: string | undefined, field: string, what: string) => {
    if (given !== undefined && given.trim()) return given.trim();
    if (saved.values[v] !== undefined) return saved.values[v];
    problems.push({ field, problem: saved.unreadable.includes(v) ? `${what} enregistré ne peut pas être lu sur ce serveur (la clé de chiffrement a changé) : saisissez-le à nouveau` : `indiquez ${what}` });
    return undefined;
  };
  const envSets = (v: Variable, present: boolean) => {
    if (present && env[v] !== undefined) fromEnv.push(v);
  };

  if (input.provider === 'email') {
    const b = input.body;
    envSets('EMAIL_FROM', b.from != null);
    envSets('SMTP_URL', b.smtp != null);
    envSets('IMAP_URL', b.imap != null);
    if (b.from != null) {
      const from = b.from.trim();
      const m = /^(?:\s*"?([^"<]*?)"?\s*<)?([^\s<>@]+)@([^\s<>@]+\.[^\s<>@]+)>?\s*$/.exec(from);
      if (!m) problems.push({ field: 'body.from', problem: 'une adresse email, éventuellement avec un nom : Hotline <support@exemple.fr>' });
      else if (m[2]!.includes('+')) problems.push({ field: 'body.from', problem: 'sans « + » : Relais ajoute « +<jeton> » à l’adresse pour reconnaître les réponses' });
      else out.EMAIL_FROM = from;
    }
    if (b.smtp) {
      const s = b.smtp;
      if (!HOST.test(s.host.trim())) problems.push({ field: 'body.smtp.host', problem: 'le nom du serveur, par exemple smtp.exemple.fr' });
      const user = s.user?.trim() || '';
      const old = credentialsOf(saved.values.SMTP_URL);
      const password = user ? (s.password || old?.password || undefined) : undefined;
      if (user && !password) problems.push({ field: 'body.smtp.password', problem: saved.unreadable.includes('SMTP_URL') ? 'le mot de passe enregistré ne peut pas être lu sur ce serveur (la clé de chiffrement a changé) : saisissez-le à nouveau' : 'indiquez le mot de passe de ce compte' });
      if (!user && s.password) problems.push({ field: 'body.smtp.user', problem: 'indiquez l’identifiant qui va avec ce mot de passe' });
      const auth = user ? `${enc(user)}${password ? `:${enc(password)}` : ''}@` : '';
      out.SMTP_URL = `${s.security === 'tls' ? 'smtps' : 'smtp'}://${auth}${s.host.trim()}:${s.port}`;
    }
    if (b.imap) {
      const s = b.imap;
      if (!HOST.test(s.host.trim())) problems.push({ field: 'body.imap.host', problem: 'le nom du serveur, par exemple imap.exemple.fr' });
      if (!s.user.trim()) problems.push({ field: 'body.imap.user', problem: 'indiquez l’identifiant de la boîte' });
      const password = s.password || credentialsOf(saved.values.IMAP_URL)?.password || undefined;
      if (!password) problems.push({ field: 'body.imap.password', problem: saved.unreadable.includes('IMAP_URL') ? 'le mot de passe enregistré ne peut pas être lu sur ce serveur (la clé de chiffrement a changé) : saisissez-le à nouveau' : 'indiquez le mot de passe de la boîte' });
      const mailbox = s.mailbox?.trim() || 'INBOX';
      out.IMAP_URL = `${s.security === 'tls' ? 'imaps' : 'imap'}://${enc(s.user.trim())}:${enc(password ?? '')}@${s.host.trim()}:${s.port}/${enc(mailbox)}`;
    }
  } else if (input.provider === 'whatsapp') {
    const b = input.body;
    for (const v of ['WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_ACCESS_TOKEN'] as const) envSets(v, true);
    envSets('WHATSAPP_API_URL', b.apiUrl != null);
    if (!/^\d{5,20}$/.test(b.phoneNumberId.trim())) problems.push({ field: 'body.phoneNumberId', problem: 'l’identifiant du numéro chez Meta (« Phone number ID ») : des chiffres seulement' });
    else out.WHATSAPP_PHONE_NUMBER_ID = b.phoneNumberId.trim();
    if (b.apiUrl != null && b.apiUrl.trim()) {
      if (!httpUrl(b.apiUrl.trim())) problems.push({ field: 'body.apiUrl', problem: 'une adresse http(s), par exemple https://graph.facebook.com/v21.0' });
      else out.WHATSAPP_API_URL = b.apiUrl.trim();
    }
    const appSecret = keep('WHATSAPP_APP_SECRET', b.appSecret, 'body.appSecret', 'la clé secrète de l’application');
    const verifyToken = keep('WHATSAPP_VERIFY_TOKEN', b.verifyToken, 'body.verifyToken', 'le jeton de vérification');
    const accessToken = keep('WHATSAPP_ACCESS_TOKEN', b.accessToken, 'body.accessToken', 'le jeton d’accès');
    if (appSecret) out.WHATSAPP_APP_SECRET = appSecret;
    if (verifyToken) out.WHATSAPP_VERIFY_TOKEN = verifyToken;
    if (accessToken) out.WHATSAPP_ACCESS_TOKEN = accessToken;
  } else {
    const b = input.body;
    for (const v of ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_PHONE_NUMBER'] as const) envSets(v, true);
    envSets('TWILIO_AGENT_NUMBER', b.agentNumber != null);
    envSets('TWILIO_API_URL', b.apiUrl != null);
    if (!/^[A-Za-z0-9]{10,64}$/.test(b.accountSid.trim())) problems.push({ field: 'body.accountSid', problem: 'l’identifiant du compte (« Account SID », AC suivi de lettres et de chiffres)' });
    else out.TWILIO_ACCOUNT_SID = b.accountSid.trim();
    const phone = b.phoneNumber.replace(/[\s.-]/g, '');
    if (!E164.test(phone)) problems.push({ field: 'body.phoneNumber', problem: 'le numéro au format international, par exemple +33159000000' });
    else out.TWILIO_PHONE_NUMBER = phone;
    if (b.agentNumber != null && b.agentNumber.trim()) {
      const agent = b.agentNumber.replace(/[\s.-]/g, '');
      if (!E164.test(agent)) problems.push({ field: 'body.agentNumber', problem: 'le numéro au format international, par exemple +33612345678' });
      else out.TWILIO_AGENT_NUMBER = agent;
    }
    if (b.apiUrl != null && b.apiUrl.trim()) {
      if (!httpUrl(b.apiUrl.trim())) problems.push({ field: 'body.apiUrl', problem: 'une adresse http(s), par exemple https://api.twilio.com' });
      else out.TWILIO_API_URL = b.apiUrl.trim();
    }
    const authToken = keep('TWILIO_AUTH_TOKEN', b.authToken, 'body.authToken', 'le jeton d’authentification (« Auth Token »)');
    if (authToken) out.TWILIO_AUTH_TOKEN = authToken;
  }

  if (fromEnv.length) {
    throw conflict('SET_BY_ENVIRONMENT', `Réglé par les variables d’environnement du serveur, qui passent avant l’écran : ${fromEnv.join(', ')}. Retirez-les du serveur pour régler ici.`, { variables: fromEnv });
  }
  if (problems.length) throw unprocessable('INVALID_CHANNEL_SETTINGS', `Réglages invalides : ${problems.map((p) => `${p.field.replace(/^body\./, '')} — ${p.problem}`).join(' ; ')}`, problems);
  return out;
}

/**
 * Saves one provider's settings from the admin screen (null: removes them), in one transaction,
 * then reloads this node at once (the others reload at the commit's NOTIFY). A set of values
 * that would not make a working channel is refused with config.ts's own reason.
 */
export async function saveProviderSettings(ctx: AppContext, input: ProviderInput | { provider: Provider; body: null }, by: StaffPrincipal): Promise<void> {
  const saved = await loadProviderSettings(ctx.db, ctx.config);
  const values = input.body === null ? {} : variablesOf(input as ProviderInput, ctx.config.channelEnv, saved);
  if (input.body !== null) {
    const others = Object.fromEntries(Object.entries(saved.values).filter(([v]) => !(EDITABLE[input.provider] as readonly string[]).includes(v)));
    const merged = mergeChannels(ctx.config, { ...others, ...values });
    const reasons = merged.ignored[input.provider];
    if (reasons) throw unprocessable('INVALID_CHANNEL_SETTINGS', `Réglages invalides : ${reasons.join(' ; ')}`, reasons.map((problem) => ({ field: 'body', problem })));
  }
  await ctx.db.transaction((tx) => writeProviderSettings(ctx, tx, input.provider, values, by.name));
  await reloadChannels(ctx);
}
