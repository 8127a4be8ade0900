import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { announceConfigChange } from '../../platform/config-cache';
import type { DB } from '../../platform/db';
import { apiTokens, staff } from './auth.schema';
import type { StaffPrincipal } from './auth-context';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function issueToken(db: DB, staffId: string, ttlHours: number): Promise<{ token: string; expiresAt: Date }> {
  const token = `rls_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
  await db.insert(apiTokens).values({ staffId, tokenHash: sha256(token), expiresAt });
  return { token, expiresAt };
}

export async function revokeToken(db: DB, token: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.tokenHash, sha256(token)));
    // Every node caches token → staff briefly: tell them all to forget.
    await announceConfigChange(tx);
  });
}

export async function principalForToken(db: DB, token: string): Promise<StaffPrincipal | null> {
  const rows = await db
    .select({ id: staff.id, email: staff.email, name: staff.name, role: staff.role, level: staff.level, skills: staff.skills })
    .from(apiTokens)
    .innerJoin(staff, eq(staff.id, apiTokens.staffId))
    .where(and(eq(apiTokens.tokenHash, sha256(token)), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, new Date()), eq(staff.active, true)))
    .limit(1);
  const row = rows[0];
  return row ? { kind: 'staff', ...row } : null;
}
