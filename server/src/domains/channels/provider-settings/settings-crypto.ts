import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Config } from '../../../config';
import { dataFolderSecret } from '../../portal/secrets';

/** A provider secret as stored in the settings row: AES-256-GCM, never the clear value. */
export interface SealedValue {
  sealed: string;
}

export const isSealed = (v: unknown): v is SealedValue => !!v && typeof v === 'object' && typeof (v as SealedValue).sealed === 'string';

const VERSION = 'v1';

/**
 * The key that seals the secrets an admin saves (tokens, passwords): RELAIS_SETTINGS_KEY, or one
 * generated in the data folder like the captcha's. It is kept out of the database so a dump or
 * a backup of it does not give the providers' tokens away.
 */
export async function settingsKey(config: Pick<Config, 'settingsKey' | 'dataDir'>): Promise<Buffer> {
  const secret = config.settingsKey ?? (await dataFolderSecret(config.dataDir, 'settings.key', 'RELAIS_SETTINGS_KEY'));
  return Buffer.from(hkdfSync('sha256', secret, 'relais', 'channel-settings', 32));
}

/** Seals one value; the variable's name is bound to it, so a sealed value cannot be moved to another field. */
export function seal(key: Buffer, variable: string, value: string): SealedValue {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(variable));
  const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return { sealed: [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.') };
}

/** The clear value, or null when this node's key is not the one that sealed it (or the value was tampered with). */
export function unseal(key: Buffer, variable: string, value: SealedValue): string | null {
  const [version, iv, tag, data] = value.sealed.split('.');
  if (version !== VERSION || !iv || !tag || data === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(variable));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
