import type { AppContext } from '../../../platform/context';
import { runtimeOf } from '../runtime';
import { loadProviderSettings, mergeChannels, SECRET_VARIABLES, type MergedChannels, type Provider, type ProviderSettingsState, type Variable } from './provider-settings';

/** Where the value in use comes from: the server's environment, the admin screen, Relais's default, or nowhere. */
export type Source = 'env' | 'admin' | 'default' | 'none';

export interface SettingView {
  variable: Variable;
  source: Source;
  /** The value in use; never set for a secret. */
  value: string | null;
  /** The value saved from the screen (what its form starts from); never set for a secret. */
  saved: string | null;
}
export interface SecretView {
  variable: Variable;
  source: Source;
  /** A value is saved from the screen (not shown: it is write-only). */
  saved: boolean;
  /** Saved, but sealed with another key than this server's. */
  unreadable: boolean;
}
/** An SMTP or IMAP server as the screen shows it: the address parts, never the password. */
export interface MailServerView {
  variable: Variable;
  source: Source;
  inUse: MailServer | null;
  saved: MailServer | null;
  unreadable: boolean;
}
interface MailServer {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'plain';
  user: string | null;
  password: boolean;
  mailbox: string | null;
}

function mailServer(url: string | null | undefined, kind: 'smtp' | 'imap'): MailServer | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    const tls = u.protocol === `${kind}s:`;
    return {
      host: u.hostname,
      port: u.port ? Number(u.port) : kind === 'smtp' ? (tls ? 465 : 587) : tls ? 993 : 143,
      security: tls ? 'tls' : kind === 'smtp' ? 'starttls' : 'plain',
      user: u.username ? decodeURIComponent(u.username) : null,
      password: !!u.password,
      mailbox: kind === 'imap' ? decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX' : null,
    };
  } catch {
    return null;
  }
}

/** Providers reach us only at a public address; Meta also wants https. */
function isLocal(url: string): boolean {
  const host = new URL(url).hostname;
  return /^(localhost|127\.|0\.0\.0\.0|\[::1?\]|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(host) || host.endsWith('.localhost') || host.endsWith('.local') || !host.includes('.');
}

/**
 * What the « Canaux » screen shows: for each channel, whether it works, the non-secret settings
 * in use and where each comes from, what the screen saved (secrets only as "saved"), and the
 * addresses to give the providers. Built from a fresh read, so it is exact right after a save.
 */
export async function channelStatus(ctx: AppContext) {
  const state: ProviderSettingsState = await loadProviderSettings(ctx.db, ctx.config);
  const merged: MergedChannels = mergeChannels(ctx.config, state.values);
  const c = merged.channels;
  const env = ctx.config.channelEnv;
  const base = ctx.config.publicUrl;
  const sourceOf = (v: Variable, hasValue: boolean): Source => (env[v] !== undefined ? 'env' : merged.used.has(v) ? 'admin' : hasValue ? 'default' : 'none');
  const setting = (v: Variable, inUse: string | null, hasDefault = false): SettingView => ({
    variable: v,
    source: sourceOf(v, inUse !== null && hasDefault),
    value: inUse,
    saved: SECRET_VARIABLES.has(v) ? null : (state.values[v] ?? null),
  });
  const secret = (v: Variable, inUse: boolean): SecretView => ({ variable: v, source: sourceOf(v, inUse), saved: v in state.values || state.unreadable.includes(v), unreadable: state.unreadable.includes(v) });
  const server = (v: 'SMTP_URL' | 'IMAP_URL', kind: 'smtp' | 'imap', inUse: string | null): MailServerView => ({
    variable: v,
    source: sourceOf(v, false),
    inUse: mailServer(inUse, kind),
    saved: mailServer(state.values[v], kind),
    unreadable: state.unreadable.includes(v),
  });
  const provider = (p: Provider) => ({
    ignored: merged.ignored[p] ?? [],
    changed: state.changes[p] ?? null,
  });
  const envGroup = (names: Variable[]) => names.some((n) => env[n] !== undefined);
  const missing = (names: Variable[], has: (v: Variable) => boolean) => names.filter((n) => !has(n));
  const wa = c.whatsapp;
  const tw = c.twilio;
  const waVars: Variable[] = ['WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_ACCESS_TOKEN'];
  const twVars: Variable[] = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_PHONE_NUMBER'];
  return {
    publicUrl: { value: base, https: base.startsWith('https://'), local: isLocal(base) },
    secretsKey: ctx.config.settingsKey ? ('env' as const) : ('file' as const),
    email: {
      outbound: !!c.email.smtpUrl,
      smtpInbound: c.email.inboundPort !== null,
      imap: !!c.email.imapUrl,
      fromAddress: c.email.fromAddress,
      replyAddress: `${c.email.localPart}+<jeton>@${c.email.domain}`,
      from: setting('EMAIL_FROM', `${c.email.fromName} <${c.email.fromAddress}>`, true),
      smtp: server('SMTP_URL', 'smtp', c.email.smtpUrl),
      imapServer: server('IMAP_URL', 'imap', c.email.imapUrl),
      inbound: { port: c.email.inboundPort, listening: runtimeOf(ctx).smtpPort, host: c.email.inboundHost, domain: c.email.domain },
      maxBytes: c.email.maxBytes,
      ...provider('email'),
    },
    whatsapp: {
      configured: !!wa,
      phoneNumberId: wa?.phoneNumberId ?? null,
      webhookUrl: `${base}/webhooks/whatsapp`,
      setByEnvironment: envGroup(waVars),
      missing: wa ? [] : missing(waVars, (v) => env[v] !== undefined || v in state.values),
      settings: {
        phoneNumberId: setting('WHATSAPP_PHONE_NUMBER_ID', wa?.phoneNumberId ?? null),
        apiUrl: setting('WHATSAPP_API_URL', wa?.apiUrl ?? null, true),
        appSecret: secret('WHATSAPP_APP_SECRET', !!wa),
        verifyToken: secret('WHATSAPP_VERIFY_TOKEN', !!wa),
        accessToken: secret('WHATSAPP_ACCESS_TOKEN', !!wa),
      },
      ...provider('whatsapp'),
    },
    twilio: {
      configured: !!tw,
      phoneNumber: tw?.phoneNumber ?? null,
      agentNumber: tw?.agentNumber ?? null,
      voiceUrl: `${base}/webhooks/twilio/voice`,
      smsUrl: `${base}/webhooks/twilio/sms`,
      statusUrl: `${base}/webhooks/twilio/voice/status`,
      setByEnvironment: envGroup(twVars),
      missing: tw ? [] : missing(twVars, (v) => env[v] !== undefined || v in state.values),
      settings: {
        accountSid: setting('TWILIO_ACCOUNT_SID', tw?.accountSid ?? null),
        phoneNumber: setting('TWILIO_PHONE_NUMBER', tw?.phoneNumber ?? null),
        agentNumber: setting('TWILIO_AGENT_NUMBER', tw?.agentNumber ?? null),
        apiUrl: setting('TWILIO_API_URL', tw?.apiUrl ?? null, true),
        authToken: secret('TWILIO_AUTH_TOKEN', !!tw),
      },
      ...provider('twilio'),
    },
  };
}
