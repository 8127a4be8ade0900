import { eq, sql } from 'drizzle-orm';
import { announceConfigChange } from '../../platform/config-cache';
import type { Executor } from '../../platform/db';
import { settings } from './queue.schema';

/** The red button's first instructions, read to the client and ticked by the agent as given. */
export const DEFAULT_FIRST_INSTRUCTIONS = [
  'Ne plus cliquer sur aucun lien et ne plus répondre au message ou à l’appel suspect.',
  'Ne rien payer et ne communiquer aucun code (carte, SMS de validation, mot de passe).',
  'Débrancher l’appareil d’Internet (Wi-Fi ou câble) s’il est peut-être piraté ou contrôlé à distance.',
  'En cas de paiement ou de code bancaire donné : faire opposition sur la carte tout de suite (numéro au dos de la carte ou serveur interbancaire 0 892 705 705).',
  'Prévenir la banque (conseiller habituel) pour bloquer les virements en cours.',
  'Garder les preuves : captures d’écran, SMS, emails, numéros de téléphone.',
  'Indiquer les services officiels : 17Cyber (17cyber.gouv.fr) et cybermalveillance.gouv.fr ; plainte en commissariat, en gendarmerie ou sur THESEE.',
];

export const SETTING_KEYS = {
  slaPolicy: 'sla.policy',
  firstInstructions: 'cyber.firstInstructions',
  cyberAlertDelaySeconds: 'cyber.alertDelaySeconds',
  defaultQueue: 'intake.defaultQueue',
} as const;

export async function getSetting<T>(db: Executor, key: string, fallback: T): Promise<T> {
  const rows = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).limit(1);
  return rows[0] ? (rows[0].value as T) : fallback;
}

export async function putSetting(db: Executor, key: string, value: unknown): Promise<void> {
  await announceConfigChange(db);
  await db
    .insert(settings)
    .values({ key, value })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
}
