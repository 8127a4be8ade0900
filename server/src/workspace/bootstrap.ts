import { count } from 'drizzle-orm';
import type { Config } from '../config';
import type { DB } from '../platform/db';
import { staff } from '../domains/auth/auth.schema';
import { createStaff } from '../domains/auth/staff-service';
import { importCatalogue } from '../domains/knowledge/catalogue-import';
import { businessCalendars, queues } from '../domains/queues/queue.schema';
import { DEFAULT_FIRST_INSTRUCTIONS, putSetting, SETTING_KEYS } from '../domains/queues/settings';
import { NUMI_CALENDAR } from '../domains/scheduling/business-hours';
import { DEFAULT_SLA_POLICY } from '../domains/scheduling/sla';

/** The queues of the seeds: OCM's phone menu (keys 1–4), numi's front desk, and the cyber emergencies. */
export const DEFAULT_QUEUES = [
  { slug: 'accueil', name: 'Accueil', menuKey: null, defaultLevel: 1, requiredSkill: null, isCyber: false },
  { slug: 'logiciels', name: 'Logiciels', menuKey: 1, defaultLevel: 1, requiredSkill: null, isCyber: false },
  { slug: 'cloud', name: 'Cloud', menuKey: 2, defaultLevel: 2, requiredSkill: null, isCyber: false },
  { slug: 'commercial', name: 'Commercial', menuKey: 3, defaultLevel: 1, requiredSkill: null, isCyber: false },
  { slug: 'administratif', name: 'Administratif', menuKey: 4, defaultLevel: 1, requiredSkill: null, isCyber: false },
  { slug: 'urgences-cyber', name: 'Urgences cyber', menuKey: null, defaultLevel: 3, requiredSkill: null, isCyber: true },
] as const;

/** Gives an empty database what it needs to take requests; never touches an existing workspace. */
export async function ensureWorkspace(db: DB): Promise<void> {
  await db.transaction((tx) => importCatalogue(tx));
  await db.transaction(async (tx) => {
    const [{ n }] = (await tx.select({ n: count() }).from(businessCalendars)) as [{ n: number }];
    if (n > 0) return;
    const [cal] = await tx
      .insert(businessCalendars)
      .values({ name: 'Hotline (Europe/Paris)', timezone: NUMI_CALENDAR.timezone, slots: [...NUMI_CALENDAR.slots], holidays: NUMI_CALENDAR.holidays, closures: [] })
      .returning();
    await tx.insert(queues).values(DEFAULT_QUEUES.map((q) => ({ ...q, calendarId: cal!.id })));
    await putSetting(tx, SETTING_KEYS.slaPolicy, DEFAULT_SLA_POLICY);
    await putSetting(tx, SETTING_KEYS.firstInstructions, DEFAULT_FIRST_INSTRUCTIONS);
    await putSetting(tx, SETTING_KEYS.defaultQueue, 'accueil');
  });
}

/** Production start: the first admin comes from RELAIS_ADMIN_EMAIL / RELAIS_ADMIN_PASSWORD. */
export async function ensureFirstAdmin(db: DB, config: Config): Promise<'created' | 'exists' | 'missing'> {
  const [{ n }] = (await db.select({ n: count() }).from(staff)) as [{ n: number }];
  if (n > 0) return 'exists';
  if (!config.adminEmail || !config.adminPassword) return 'missing';
  await createStaff(db, { email: config.adminEmail, name: 'Administrateur', role: 'admin', password: config.adminPassword });
  return 'created';
}
