import { sql } from 'drizzle-orm';
import { parseChannels, type ChannelsConfig, type Config } from '../../../config';
import type { AppContext } from '../../../platform/context';
import type { Executor, Tx } from '../../../platform/db';
import { getSetting, putSetting } from '../../queues/settings';
import { isSealed, seal, settingsKey, unseal, type SealedValue } from './settings-crypto';

/**
 * The providers' settings an admin saves from the « Canaux » screen, as the environment
 * variables they stand for: the same names, the same checks (config.ts parses both), and the
 * environment always wins, variable by variable. Secrets are sealed (settings-crypto.ts) and
 * never leave the server.
 */
export const PROVIDER_SETTING = 'channels.providers';

export const PROVIDERS = ['email', 'whatsapp', 'twilio'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** What the screen may set, per provider. The inbound SMTP port and size stay in the environment (a restart opens a port). */
export const EDITABLE = {
  email: ['EMAIL_FROM', 'SMTP_URL', 'IMAP_URL'],
  whatsapp: ['WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_API_URL'],
  twilio: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_PHONE_NUMBER', 'TWILIO_AGENT_NUMBER', 'TWILIO_API_URL'],
} as const satisfies Record<Provider, readonly string[]>;
export type Variable = (typeof EDITABLE)[Provider][number];

/** Sealed at rest and never returned: tokens, and the URLs that carry a password. */
export const SECRET_VARIABLES: ReadonlySet<Variable> = new Set<Variable>(['SMTP_URL', 'IMAP_URL', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_ACCESS_TOKEN', 'TWILIO_AUTH_TOKEN']);

interface StoredProviders {
  values: Partial<Record<Variable, string | SealedValue>>;
  /** Who last saved each provider, and when. */
  changes?: Partial<Record<Provider, { at: string; by: string }>>;
}

export interface ProviderSettingsState {
  /** The values this node can read. */
  values: Partial<Record<Variable, string>>;
  /** Secrets sealed with another key than this node's (RELAIS_SETTINGS_KEY differs, or the data folder is not shared). */
  unreadable: Variable[];
  changes: Partial<Record<Provider, { at: string; by: string }>>;
}

export async function loadProviderSettings(db: Executor, config: Pick<Config, 'settingsKey' | 'dataDir'>): Promise<ProviderSettingsState> {
  const stored = await getSetting<StoredProviders>(db, PROVIDER_SETTING, { values: {} });
  const entries = Object.entries(stored.values ?? {}) as [Variable, string | SealedValue][];
  const key = entries.some(([, v]) => isSealed(v)) ? await settingsKey(config) : null;
  const values: Partial<Record<Variable, string>> = {};
  const unreadable: Variable[] = [];
  for (const [name, v] of entries) {
    const clear = isSealed(v) ? unseal(key!, name, v) : typeof v === 'string' ? v : null;
    if (clear === null) unreadable.push(name);
    else values[name] = clear;
  }
  return { values, unreadable, changes: stored.changes ?? {} };
}

export const providerOf = (v: Variable): Provider => PROVIDERS.find((p) => (EDITABLE[p] as readonly string[]).includes(v))!;

/** Problems of config.ts name the variable and may quote its value: a secret is never quoted back. */
function redact(problem: string, values: Partial<Record<Variable, string>>): string {
  let out = problem;
  for (const v of SECRET_VARIABLES) {
    const value = values[v];
    if (value) out = out.split(value).join('•••');
  }
  return out;
}

export interface MergedChannels {
  channels: ChannelsConfig;
  /** Variables whose saved value is in use (not overridden by the environment, not ignored). */
  used: Set<Variable>;
  /** A provider's saved settings that could not be used, and why (redacted). */
  ignored: Partial<Record<Provider, string[]>>;
}

/**
 * The channels in use: the environment, then each provider's saved values where the environment
 * says nothing. A provider whose saved values do not make a working configuration (a secret this
 * node cannot read, say) is left as the environment has it, with the reason kept for the screen.
 */
export function mergeChannels(config: Pick<Config, 'channelEnv' | 'host'>, saved: Partial<Record<Variable, string>>): MergedChannels {
  let vars: Record<string, string> = { ...config.channelEnv };
  const used = new Set<Variable>();
  const ignored: MergedChannels['ignored'] = {};
  for (const p of PROVIDERS) {
    const own = (EDITABLE[p] as readonly Variable[]).filter((v) => saved[v] !== undefined && config.channelEnv[v] === undefined);
    if (!own.length) continue;
    const trial = { ...vars, ...Object.fromEntries(own.map((v) => [v, saved[v]!])) };
    const { problems } = parseChannels(trial, config.host);
    if (problems.length) {
      ignored[p] = problems.map((x) => redact(x, saved));
      continue;
    }
    vars = trial;
    own.forEach((v) => used.add(v));
  }
  return { channels: parseChannels(vars, config.host).channels, used, ignored };
}

/**
 * Writes one provider's saved values (the others untouched) in the caller's transaction, under a
 * lock so two admins saving two providers both keep theirs; the NOTIFY of putSetting makes every
 * node reload at commit.
 */
export async function writeProviderSettings(ctx: AppContext, tx: Tx, provider: Provider, values: Partial<Record<Variable, string>>, by: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${PROVIDER_SETTING}, 0))`);
  const stored = await getSetting<StoredProviders>(tx, PROVIDER_SETTING, { values: {} });
  const next: StoredProviders = { values: { ...stored.values }, changes: { ...stored.changes, [provider]: { at: new Date().toISOString(), by } } };
  for (const v of EDITABLE[provider] as readonly Variable[]) delete next.values[v];
  const hasSecret = Object.keys(values).some((v) => SECRET_VARIABLES.has(v as Variable));
  const key = hasSecret ? await settingsKey(ctx.config) : null;
  for (const [v, value] of Object.entries(values) as [Variable, string][]) next.values[v] = SECRET_VARIABLES.has(v) ? seal(key!, v, value) : value;
  await putSetting(tx, PROVIDER_SETTING, next);
}

// ---------------------------------------------------------------------------------------------
// Keeping every node current
// ---------------------------------------------------------------------------------------------

const lastIgnored = new WeakMap<Config, string>();

/** Reads the saved settings and puts the merged channels in `ctx.config.channels`. */
async function applyProviderSettings(ctx: AppContext): Promise<void> {
  const state = await loadProviderSettings(ctx.db, ctx.config);
  const merged = mergeChannels(ctx.config, state.values);
  ctx.config.channels = merged.channels;
  // Said once in the log when it changes, not at every reload.
  const said = JSON.stringify(merged.ignored);
  if (said !== (lastIgnored.get(ctx.config) ?? '{}')) {
    for (const [p, problems] of Object.entries(merged.ignored)) console.warn(`[channels] saved ${p} settings not used: ${problems.join(' ; ')}`);
    lastIgnored.set(ctx.config, said);
  }
}

interface Reloader {
  reload(): Promise<void>;
  chain: Promise<void>;
  queued: Promise<void> | null;
}
const reloaders = new WeakMap<object, Reloader>();

/**
 * Reloads the channels of this node. Reloads run one after the other, each reading the settings
 * when it starts, so the last one applied is never older than the last change; a reload asked
 * while another waits to start joins it.
 */
export function reloadChannels(ctx: AppContext): Promise<void> {
  let r = reloaders.get(ctx.jobs);
  if (!r) {
    const created: Reloader = {
      chain: Promise.resolve(),
      queued: null,
      reload() {
        if (created.queued) return created.queued;
        const next = created.chain.then(() => {
          created.queued = null;
          return applyProviderSettings(ctx);
        });
        created.queued = next;
        created.chain = next.catch((err: Error) => console.error('[channels] settings not reloaded:', err.message));
        return next;
      },
    };
    r = created;
    reloaders.set(ctx.jobs, r);
  }
  return r.reload();
}

/** A safety net for a NOTIFY lost while the listener reconnects, like the config cache's TTL. */
const RELOAD_EVERY_MS = 60_000;

/** Follows the changes on this node: at each configuration NOTIFY, and every minute. Returns the stop function. */
export function watchProviderSettings(ctx: AppContext): () => void {
  const off = ctx.cache.onChange(() => void reloadChannels(ctx).catch(() => {}));
  const timer = setInterval(() => void reloadChannels(ctx).catch(() => {}), RELOAD_EVERY_MS);
  timer.unref();
  return () => {
    off();
    clearInterval(timer);
  };
}
