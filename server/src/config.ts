import net from 'node:net';
import path from 'node:path';

/** Every setting Relais reads from the environment, parsed and checked once at boot. */
export interface Config {
  databaseUrl: string | null;
  dataDir: string;
  port: number;
  host: string;
  publicUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  dbPoolSize: number;
  ticketPrefix: string;
  adminEmail: string | null;
  adminPassword: string | null;
  demoPassword: string;
  tokenTtlHours: number;
  maxAttachmentBytes: number;
  cyberAlertDelaySeconds: number;
  jobsEnabled: boolean;
  /**
   * The channels in use on this node: the environment's settings, completed by those an admin
   * saved (channels/provider-settings keeps this current on every node; the environment wins).
   */
  channels: ChannelsConfig;
  /** The channel variables set in the environment, as given (they take precedence over the admin's settings). */
  channelEnv: Readonly<Record<string, string>>;
  /** Encrypts the provider secrets saved from the admin screen; null: generated once in `<data folder>/secrets/settings.key`. */
  settingsKey: string | null;
  /** Signs the portal's ALTCHA challenges; null: generated once in `<data folder>/secrets/captcha.key`. */
  captchaSecret: string | null;
  /** PBKDF2 rounds per ALTCHA attempt. */
  captchaCost: number;
  /** The browser must reach a counter drawn between half this and this: work = counter × cost rounds. */
  captchaMaxCounter: number;
  /** Public portal POSTs allowed per client address, route and hour (0: no limit). */
  portalRateLimit: number;
  /** Shown on every portal page (`GET /api/v1/portal/info`). */
  hotlinePhone: string | null;
  hotlineWhatsapp: string | null;
  /**
   * Which proxies may tell the client's address (X-Forwarded-For), as Fastify's `trustProxy`:
   * false (none: the socket's address), a number of hops, or addresses/CIDR ranges.
   */
  trustProxy: boolean | number | string[];
}

/** Email: outbound over SMTP_URL, inbound on an SMTP receiver (SMTP_INBOUND_PORT) or by IMAP polling (IMAP_URL). */
export interface EmailChannelConfig {
  smtpUrl: string | null;
  inboundPort: number | null;
  inboundHost: string;
  imapUrl: string | null;
  /** Our address: replies go to `<local>+<token>@<domain>`, Message-IDs use the domain. */
  fromAddress: string;
  fromName: string;
  domain: string;
  localPart: string;
  maxBytes: number;
}

/** Meta WhatsApp Business Cloud API; null when not configured. */
export interface WhatsAppChannelConfig {
  appSecret: string;
  verifyToken: string;
  accessToken: string;
  phoneNumberId: string;
  apiUrl: string;
}

/** Twilio voice and SMS (or any Twilio-compatible provider); null when not configured. */
export interface TwilioChannelConfig {
  accountSid: string;
  authToken: string;
  apiUrl: string;
  phoneNumber: string;
  /** Where the IVR forwards a caller who chose a queue (the desk's phone); callback/voicemail offered otherwise. */
  agentNumber: string | null;
}

export interface ChannelsConfig {
  email: EmailChannelConfig;
  whatsapp: WhatsAppChannelConfig | null;
  twilio: TwilioChannelConfig | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration invalide :\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

/** Every variable of the channels, in the order of the README. */
export const CHANNEL_VARIABLES = [
  'EMAIL_FROM',
  'SMTP_URL',
  'SMTP_INBOUND_PORT',
  'SMTP_INBOUND_HOST',
  'IMAP_URL',
  'EMAIL_MAX_BYTES',
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
  'WHATSAPP_ACCESS_TOKEN',
  'WHATSAPP_PHONE_NUMBER_ID',
  'WHATSAPP_API_URL',
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_PHONE_NUMBER',
  'TWILIO_API_URL',
  'TWILIO_AGENT_NUMBER',
] as const;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const { str, int, url, bool } = readers(env, problems);

  const port = int('PORT', 3000, 0, 65535);
  const host = str('HOST') ?? '127.0.0.1';
  const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
  const logLevelRaw = str('LOG_LEVEL') ?? 'info';
  const logLevel = (logLevels as readonly string[]).includes(logLevelRaw) ? (logLevelRaw as Config['logLevel']) : 'info';
  if (logLevel !== logLevelRaw) problems.push(`LOG_LEVEL="${logLevelRaw}" doit être l'un de ${logLevels.join(', ')}`);

  const ticketPrefix = str('RELAIS_TICKET_PREFIX') ?? 'NUM';
  if (!/^[A-Z]{2,6}$/.test(ticketPrefix)) problems.push(`RELAIS_TICKET_PREFIX="${ticketPrefix}" doit contenir 2 à 6 lettres majuscules`);

  const adminEmail = str('RELAIS_ADMIN_EMAIL') ?? null;
  if (adminEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(adminEmail)) problems.push(`RELAIS_ADMIN_EMAIL="${adminEmail}" n'est pas une adresse email`);
  const adminPassword = str('RELAIS_ADMIN_PASSWORD') ?? null;
  if (adminPassword !== null && adminPassword.length < 10) problems.push('RELAIS_ADMIN_PASSWORD doit contenir au moins 10 caractères');
  if ((adminEmail === null) !== (adminPassword === null)) problems.push('RELAIS_ADMIN_EMAIL et RELAIS_ADMIN_PASSWORD vont ensemble : donnez les deux ou aucun');

  const channels = channelsConfig(str, int, url, problems, host);
  const channelEnv = Object.fromEntries(CHANNEL_VARIABLES.flatMap((n) => (str(n) === undefined ? [] : [[n, str(n)!]])));
  const settingsKey = str('RELAIS_SETTINGS_KEY') ?? null;
  if (settingsKey !== null && settingsKey.length < 32) problems.push('RELAIS_SETTINGS_KEY doit contenir au moins 32 caractères (par exemple : openssl rand -base64 32)');

  const captchaSecret = str('RELAIS_CAPTCHA_SECRET') ?? null;
  if (captchaSecret !== null && captchaSecret.length < 32) problems.push('RELAIS_CAPTCHA_SECRET doit contenir au moins 32 caractères (par exemple : openssl rand -base64 32)');

  const trustProxy = trustProxyConfig(str('RELAIS_TRUST_PROXY'), problems);

  const config: Config = {
    databaseUrl: url('DATABASE_URL', ['postgres:', 'postgresql:']) ?? null,
    dataDir: path.resolve(str('RELAIS_DATA_DIR') ?? './data'),
    port,
    host,
    publicUrl: (url('PUBLIC_URL', ['http:', 'https:']) ?? `http://${host}:${port}`).replace(/\/$/, ''),
    logLevel,
    dbPoolSize: int('RELAIS_DB_POOL_SIZE', 10, 1, 200),
    ticketPrefix,
    adminEmail,
    adminPassword,
    demoPassword: str('RELAIS_DEMO_PASSWORD') ?? 'relais-demo',
    tokenTtlHours: int('RELAIS_TOKEN_TTL_HOURS', 12, 1, 24 * 90),
    maxAttachmentBytes: int('RELAIS_MAX_ATTACHMENT_BYTES', 10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    cyberAlertDelaySeconds: int('RELAIS_CYBER_ALERT_DELAY_SECONDS', 120, 1, 86400),
    jobsEnabled: bool('RELAIS_JOBS', true),
    channels,
    channelEnv,
    settingsKey,
    captchaSecret,
    captchaCost: int('RELAIS_CAPTCHA_COST', 1000, 1, 1_000_000),
    captchaMaxCounter: int('RELAIS_CAPTCHA_MAX_COUNTER', 1000, 2, 1_000_000),
    portalRateLimit: int('RELAIS_PORTAL_RATE_LIMIT', 30, 0, 1_000_000),
    hotlinePhone: str('RELAIS_HOTLINE_PHONE') ?? null,
    hotlineWhatsapp: str('RELAIS_HOTLINE_WHATSAPP') ?? null,
    trustProxy,
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/**
 * Behind a reverse proxy every request comes from the proxy's address: the portal's rate limits
 * would then count all clients as one. Trusting X-Forwarded-For from anyone would let a client
 * pick its own address, so only the proxies named here are believed.
 */
function trustProxyConfig(raw: string | undefined, problems: string[]): Config['trustProxy'] {
  if (raw === undefined || /^(0|false|no|off)$/i.test(raw)) return false;
  if (/^(true|yes|on)$/i.test(raw)) return true;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops >= 1 && hops <= 10) return hops;
  }
  const ranges = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const valid = (r: string) => {
    const [ip, prefix, ...rest] = r.split('/');
    const family = net.isIP(ip ?? '');
    if (!family || rest.length) return false;
    return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
  };
  const bad = ranges.filter((r) => !valid(r));
  if (!ranges.length || bad.length) {
    problems.push(`RELAIS_TRUST_PROXY="${raw}" doit valoir false, true, un nombre de relais (1 à 10) ou des adresses IP / plages CIDR séparées par des virgules (reçu : ${bad.join(', ') || 'rien'})`);
    return false;
  }
  return ranges;
}

/** The readers of one set of variables; each bad value is added to `problems` with its name. */
function readers(env: Env, problems: string[]) {
  const str = (name: string) => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const int = (name: string, def: number, min: number, max: number) => {
    const raw = str(name);
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
      problems.push(`${name}="${raw}" doit être un entier entre ${min} et ${max}`);
      return def;
    }
    return n;
  };
  const url = (name: string, protocols: string[]) => {
    const raw = str(name);
    if (raw === undefined) return undefined;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) throw new Error();
      return raw;
    } catch {
      problems.push(`${name} doit être une URL ${protocols.join(' ou ')} valide (reçu "${raw}")`);
      return undefined;
    }
  };
  const bool = (name: string, def: boolean) => {
    const raw = str(name);
    if (raw === undefined) return def;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    problems.push(`${name}="${raw}" doit valoir true ou false`);
    return def;
  };

  return { str, int, url, bool };
}

/**
 * The channels described by a set of variables (the environment, or the environment over the
 * admin's saved settings), with what is wrong in them; `host` is the default inbound SMTP host.
 */
export function parseChannels(vars: Env, host: string): { channels: ChannelsConfig; problems: string[] } {
  const problems: string[] = [];
  const { str, int, url } = readers(vars, problems);
  return { channels: channelsConfig(str, int, url, problems, host), problems };
}

type Reader = (name: string) => string | undefined;
type IntReader = (name: string, def: number, min: number, max: number) => number;
type UrlReader = (name: string, protocols: string[]) => string | undefined;

/** Each provider is configured all at once or not at all: a half-configured channel would fail at the first message. */
function channelsConfig(str: Reader, int: IntReader, url: UrlReader, problems: string[], host: string): ChannelsConfig {
  const fromRaw = str('EMAIL_FROM') ?? 'support@relais.localhost';
  const fromMatch = /^(?:\s*"?([^"<]*?)"?\s*<)?([^\s<>@]+)@([^\s<>@]+\.[^\s<>@]+|localhost)>?\s*$/.exec(fromRaw);
  if (!fromMatch) problems.push(`EMAIL_FROM="${fromRaw}" doit être une adresse email, éventuellement avec un nom : "Hotline <support@exemple.fr>"`);
  const localPart = fromMatch?.[2] ?? 'support';
  const domain = (fromMatch?.[3] ?? 'relais.localhost').toLowerCase();
  if (localPart.includes('+')) problems.push('EMAIL_FROM ne doit pas contenir « + » : Relais ajoute « +<jeton> » pour router les réponses');
  const inboundPortRaw = str('SMTP_INBOUND_PORT');
  const email: EmailChannelConfig = {
    smtpUrl: url('SMTP_URL', ['smtp:', 'smtps:']) ?? null,
    inboundPort: inboundPortRaw === undefined ? null : int('SMTP_INBOUND_PORT', 2525, 0, 65535),
    inboundHost: str('SMTP_INBOUND_HOST') ?? host,
    imapUrl: url('IMAP_URL', ['imap:', 'imaps:']) ?? null,
    fromAddress: `${localPart}@${domain}`,
    fromName: fromMatch?.[1]?.trim() || 'Hotline',
    domain,
    localPart,
    maxBytes: int('EMAIL_MAX_BYTES', 25 * 1024 * 1024, 10 * 1024, 100 * 1024 * 1024),
  };

  const group = <K extends string>(names: readonly K[], label: string): Record<K, string> | null => {
    const values = Object.fromEntries(names.map((n) => [n, str(n)])) as Record<K, string | undefined>;
    const given = names.filter((n) => values[n] !== undefined);
    if (given.length === 0) return null;
    const missing = names.filter((n) => values[n] === undefined);
    if (missing.length) {
      problems.push(`${label} : ${missing.join(', ')} manquant(s) (les variables ${names.join(', ')} vont ensemble)`);
      return null;
    }
    return values as Record<K, string>;
  };

  const wa = group(['WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID'] as const, 'WhatsApp');
  const waApi = url('WHATSAPP_API_URL', ['http:', 'https:']) ?? 'https://graph.facebook.com/v21.0';
  if (wa && !/^\d{5,20}$/.test(wa.WHATSAPP_PHONE_NUMBER_ID)) problems.push('WHATSAPP_PHONE_NUMBER_ID doit être l’identifiant numérique du numéro (Meta, « Phone number ID »)');
  const whatsapp: WhatsAppChannelConfig | null = wa
    ? { appSecret: wa.WHATSAPP_APP_SECRET, verifyToken: wa.WHATSAPP_VERIFY_TOKEN, accessToken: wa.WHATSAPP_ACCESS_TOKEN, phoneNumberId: wa.WHATSAPP_PHONE_NUMBER_ID, apiUrl: waApi.replace(/\/+$/, '') }
    : null;

  const tw = group(['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_PHONE_NUMBER'] as const, 'Twilio');
  const twApi = url('TWILIO_API_URL', ['http:', 'https:']) ?? 'https://api.twilio.com';
  const e164 = /^\+[1-9]\d{6,14}$/;
  if (tw && !e164.test(tw.TWILIO_PHONE_NUMBER)) problems.push(`TWILIO_PHONE_NUMBER="${tw.TWILIO_PHONE_NUMBER}" doit être au format international (+33…)`);
  const agentNumber = str('TWILIO_AGENT_NUMBER') ?? null;
  if (agentNumber && !e164.test(agentNumber)) problems.push(`TWILIO_AGENT_NUMBER="${agentNumber}" doit être au format international (+33…)`);
  const twilio: TwilioChannelConfig | null = tw
    ? { accountSid: tw.TWILIO_ACCOUNT_SID, authToken: tw.TWILIO_AUTH_TOKEN, apiUrl: twApi.replace(/\/+$/, ''), phoneNumber: tw.TWILIO_PHONE_NUMBER, agentNumber }
    : null;

  return { email, whatsapp, twilio };
}
