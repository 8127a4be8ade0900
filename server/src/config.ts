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
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration invalide :\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
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

  const captchaSecret = str('RELAIS_CAPTCHA_SECRET') ?? null;
  if (captchaSecret !== null && captchaSecret.length < 32) problems.push('RELAIS_CAPTCHA_SECRET doit contenir au moins 32 caractères (par exemple : openssl rand -base64 32)');

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
    captchaSecret,
    captchaCost: int('RELAIS_CAPTCHA_COST', 1000, 1, 1_000_000),
    captchaMaxCounter: int('RELAIS_CAPTCHA_MAX_COUNTER', 1000, 2, 1_000_000),
    portalRateLimit: int('RELAIS_PORTAL_RATE_LIMIT', 30, 0, 1_000_000),
    hotlinePhone: str('RELAIS_HOTLINE_PHONE') ?? null,
    hotlineWhatsapp: str('RELAIS_HOTLINE_WHATSAPP') ?? null,
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
