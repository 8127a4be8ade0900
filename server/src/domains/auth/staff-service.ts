import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { announceConfigChange } from '../../platform/config-cache';
import type { DB } from '../../platform/db';
import { conflict, notFound, unprocessable } from '../../platform/errors';
import { pgErrorCode, UNIQUE_VIOLATION } from '../../platform/pg-errors';
import { staff } from './auth.schema';
import { hashPassword } from './passwords';
import type { StaffRole } from './auth-context';

export interface StaffInput {
  email: string;
  name: string;
  role: StaffRole;
  level?: number | null;
  skills?: string[];
  password: string;
}

export type StaffPatch = Partial<Omit<StaffInput, 'email'>> & { active?: boolean; available?: boolean };

export function staffView(s: typeof staff.$inferSelect) {
  return {
    id: s.id,
    email: s.email,
    name: s.name,
    role: s.role,
    level: s.level,
    skills: s.skills,
    active: s.active,
    available: s.available,
    createdAt: s.createdAt.toISOString(),
  };
}

function checkLevel(role: StaffRole, level: number | null | undefined): number | null {
  if (role === 'agent') {
    if (level === undefined || level === null) throw unprocessable('LEVEL_REQUIRED', 'Un conseiller a un niveau : 1, 2 ou 3.', { field: 'level' });
    return level;
  }
  return level ?? null;
}

export async function createStaff(db: DB, input: StaffInput) {
  try {
    const [row] = await db
      .insert(staff)
      .values({
        email: input.email.trim().toLowerCase(),
        name: input.name.trim(),
        role: input.role,
        level: checkLevel(input.role, input.level),
        skills: input.skills ?? [],
        passwordHash: await hashPassword(input.password),
      })
      .returning();
    return row!;
  } catch (err) {
    if (pgErrorCode(err) === UNIQUE_VIOLATION) throw conflict('STAFF_EMAIL_TAKEN', `Un compte existe déjà pour ${input.email}.`);
    throw err;
  }
}

export async function updateStaff(db: DB, id: string, patch: StaffPatch) {
  const [current] = await db.select().from(staff).where(eq(staff.id, id));
  if (!current) throw notFound('STAFF_NOT_FOUND', `Aucun membre de l’équipe ${id}.`);
  const role = patch.role ?? current.role;
  const level = checkLevel(role, patch.level === undefined ? current.level : patch.level);
  if (current.role === 'admin' && (role !== 'admin' || patch.active === false)) {
    const others = await db.select({ n: sql<number>`count(*)::int` }).from(staff).where(and(eq(staff.role, 'admin'), eq(staff.active, true), ne(staff.id, id)));
    if (!others[0]?.n) throw conflict('LAST_ADMIN', 'Il doit rester au moins un administrateur actif.');
  }
  const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
  return db.transaction(async (tx) => {
    const [row] = await tx
    .update(staff)
    .set({
      name: patch.name?.trim() ?? current.name,
      role,
      level,
      skills: patch.skills ?? current.skills,
      active: patch.active ?? current.active,
      available: patch.available ?? current.available,
      ...(passwordHash ? { passwordHash } : {}),
      updatedAt: new Date(),
    })
    .where(eq(staff.id, id))
    .returning();
    // Role, level or deactivation must take effect on every node's cached sessions.
    await announceConfigChange(tx);
    return row!;
  });
}

export function listStaff(db: DB) {
  return db.select().from(staff).orderBy(asc(staff.role), asc(staff.name));
}
