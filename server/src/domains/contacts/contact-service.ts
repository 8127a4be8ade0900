import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { DB, Executor } from '../../platform/db';
import { conflict, notFound, unprocessable } from '../../platform/errors';
import { contactIdentities, contacts } from './contact.schema';
import type { ContactInput, ContactPatch, ContactView } from './contact.schemas';
import { normalizeEmail, normalizePhone, normalizeWhatsapp } from './identities';

type IdentityKind = 'phone' | 'email' | 'whatsapp';
interface Identity {
  kind: IdentityKind;
  value: string;
}

export function identitiesOf(input: Partial<ContactInput>): Identity[] {
  const out: Identity[] = [];
  const phones = [...(input.phones ?? []), ...(input.phone ? [input.phone] : [])];
  const emails = [...(input.emails ?? []), ...(input.email ? [input.email] : [])];
  phones.forEach((p, i) => out.push({ kind: 'phone', value: normalizePhone(p, input.phones ? `phones[${i}]` : 'phone') }));
  emails.forEach((e, i) => out.push({ kind: 'email', value: normalizeEmail(e, input.emails ? `emails[${i}]` : 'email') }));
  if (input.whatsappId) out.push({ kind: 'whatsapp', value: normalizeWhatsapp(input.whatsappId) });
  const seen = new Set<string>();
  return out.filter((i) => !seen.has(`${i.kind}:${i.value}`) && seen.add(`${i.kind}:${i.value}`));
}

async function contactIdByIdentities(tx: Executor, ids: Identity[]): Promise<string | null> {
  if (!ids.length) return null;
  const rows = await tx
    .select({ contactId: contactIdentities.contactId })
    .from(contactIdentities)
    .where(or(...ids.map((i) => and(eq(contactIdentities.kind, i.kind), eq(contactIdentities.value, i.value)))))
    .limit(1);
  return rows[0]?.contactId ?? null;
}

function auditDate(v: string | null | undefined): Date | null | undefined {
  return v === undefined ? undefined : v === null ? null : new Date(v);
}

/** Inserts identities that nobody owns yet; returns those already owned by another contact. */
async function attachIdentities(tx: Executor, contactId: string, ids: Identity[]): Promise<Identity[]> {
  if (!ids.length) return [];
  const inserted = await tx
    .insert(contactIdentities)
    .values(ids.map((i) => ({ contactId, kind: i.kind, value: i.value })))
    .onConflictDoNothing()
    .returning({ kind: contactIdentities.kind, value: contactIdentities.value });
  const done = new Set(inserted.map((i) => `${i.kind}:${i.value}`));
  const rest = ids.filter((i) => !done.has(`${i.kind}:${i.value}`));
  if (!rest.length) return [];
  const mine = await tx
    .select({ kind: contactIdentities.kind, value: contactIdentities.value })
    .from(contactIdentities)
    .where(and(eq(contactIdentities.contactId, contactId), inArray(contactIdentities.value, rest.map((r) => r.value))));
  const mineSet = new Set(mine.map((i) => `${i.kind}:${i.value}`));
  return rest.filter((i) => !mineSet.has(`${i.kind}:${i.value}`));
}

export async function createContact(tx: Executor, input: ContactInput): Promise<string> {
  const ids = identitiesOf(input);
  const existing = await contactIdByIdentities(tx, ids);
  if (existing) {
    throw conflict('CONTACT_EXISTS', 'Un contact existe déjà avec ce téléphone ou cet email.', { contactId: existing });
  }
  const [row] = await tx
    .insert(contacts)
    .values({
      name: input.name.trim(),
      preferredChannel: input.preferredChannel ?? null,
      notes: input.notes ?? '',
      trainedOn: input.trainedOn ?? [],
      auditCompletedAt: auditDate(input.auditCompletedAt) ?? null,
    })
    .returning({ id: contacts.id });
  const taken = await attachIdentities(tx, row!.id, ids);
  if (taken.length) {
    // Someone registered the same phone or email at the same instant.
    throw conflict('CONTACT_EXISTS', 'Un contact existe déjà avec ce téléphone ou cet email.', { identities: taken });
  }
  return row!.id;
}

/**
 * Intake's contact match: the same phone, email or WhatsApp id always leads to the same
 * contact, so a second request never duplicates the client. New identities are added.
 */
export async function matchOrCreateContact(tx: Executor, input: ContactInput): Promise<{ id: string; created: boolean }> {
  const ids = identitiesOf(input);
  const existing = await contactIdByIdentities(tx, ids);
  if (existing) {
    await attachIdentities(tx, existing, ids);
    return { id: existing, created: false };
  }
  const [row] = await tx
    .insert(contacts)
    .values({ name: input.name.trim(), preferredChannel: input.preferredChannel ?? null, notes: input.notes ?? '' })
    .returning({ id: contacts.id });
  const taken = await attachIdentities(tx, row!.id, ids);
  if (taken.length && taken.length === ids.length) {
    // Lost a race with a concurrent intake for the same person: use theirs.
    await tx.delete(contacts).where(eq(contacts.id, row!.id));
    const winner = await contactIdByIdentities(tx, ids);
    if (winner) return { id: winner, created: false };
  }
  return { id: row!.id, created: true };
}

export async function updateContact(tx: Executor, id: string, patch: ContactPatch): Promise<void> {
  const set: Partial<typeof contacts.$inferInsert> = { updatedAt: new Date() };
  if (patch.name !== undefined) set.name = patch.name.trim();
  if (patch.preferredChannel !== undefined) set.preferredChannel = patch.preferredChannel;
  if (patch.notes !== undefined) set.notes = patch.notes;
  if (patch.trainedOn !== undefined) set.trainedOn = patch.trainedOn;
  if (patch.auditCompletedAt !== undefined) set.auditCompletedAt = auditDate(patch.auditCompletedAt) ?? null;
  const updated = await tx.update(contacts).set(set).where(eq(contacts.id, id)).returning({ id: contacts.id });
  if (!updated.length) throw notFound('CONTACT_NOT_FOUND', `Aucun contact ${id}.`);
  const ids = identitiesOf(patch);
  if (ids.length) {
    // Replacing a kind replaces all its values (the form sends the full list).
    const kinds = [...new Set(ids.map((i) => i.kind))];
    await tx.delete(contactIdentities).where(and(eq(contactIdentities.contactId, id), inArray(contactIdentities.kind, kinds)));
    const taken = await attachIdentities(tx, id, ids);
    if (taken.length) throw conflict('CONTACT_EXISTS', 'Ce téléphone ou cet email appartient déjà à un autre contact.', { identities: taken });
  }
}

export async function getContacts(db: Executor, ids: string[]): Promise<ContactView[]> {
  if (!ids.length) return [];
  const rows = await db.select().from(contacts).where(inArray(contacts.id, ids));
  const idRows = await db.select().from(contactIdentities).where(inArray(contactIdentities.contactId, ids)).orderBy(contactIdentities.createdAt);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids
    .map((id) => byId.get(id))
    .filter((r): r is NonNullable<typeof r> => !!r)
    .map((r) => {
      const mine = idRows.filter((i) => i.contactId === r.id);
      return {
        id: r.id,
        name: r.name,
        phones: mine.filter((i) => i.kind === 'phone').map((i) => i.value),
        emails: mine.filter((i) => i.kind === 'email').map((i) => i.value),
        whatsappId: mine.find((i) => i.kind === 'whatsapp')?.value ?? null,
        preferredChannel: r.preferredChannel,
        notes: r.notes,
        trainedOn: r.trainedOn,
        auditCompletedAt: r.auditCompletedAt?.toISOString() ?? null,
        createdAt: r.createdAt.toISOString(),
      };
    });
}

export async function getContact(db: Executor, id: string): Promise<ContactView> {
  const [c] = await getContacts(db, [id]);
  if (!c) throw notFound('CONTACT_NOT_FOUND', `Aucun contact ${id}.`);
  return c;
}

export async function searchContacts(db: DB, q: { phone?: string; email?: string; q?: string; limit?: number }): Promise<ContactView[]> {
  const limit = q.limit ?? 20;
  let ids: string[];
  if (q.phone || q.email) {
    const idents: Identity[] = [];
    if (q.phone) idents.push({ kind: 'phone', value: normalizePhone(q.phone, 'phone') }, { kind: 'whatsapp', value: normalizePhone(q.phone, 'phone') });
    if (q.email) idents.push({ kind: 'email', value: normalizeEmail(q.email, 'email') });
    const rows = await db
      .selectDistinct({ id: contactIdentities.contactId })
      .from(contactIdentities)
      .where(or(...idents.map((i) => and(eq(contactIdentities.kind, i.kind), eq(contactIdentities.value, i.value)))))
      .limit(limit);
    ids = rows.map((r) => r.id);
  } else if (q.q) {
    const term = q.q.trim();
    const digits = term.replace(/\D/g, '');
    const rows = await db.execute<{ id: string }>(sql`
      select c.id from contacts c
      where lower(c.name) like ${'%' + term.toLowerCase() + '%'}
         or similarity(lower(c.name), ${term.toLowerCase()}) > 0.3
         or (${digits.length >= 4} and exists (
              select 1 from contact_identities i where i.contact_id = c.id and i.kind in ('phone','whatsapp')
              and i.value like ${'%' + digits.slice(-9) + '%'}))
         or exists (select 1 from contact_identities i where i.contact_id = c.id and i.kind = 'email' and i.value like ${'%' + term.toLowerCase() + '%'})
      order by similarity(lower(c.name), ${term.toLowerCase()}) desc, c.created_at desc
      limit ${limit}`);
    ids = rows.rows.map((r) => r.id);
  } else {
    throw unprocessable('SEARCH_CRITERIA_REQUIRED', 'Indiquez au moins un critère : phone, email ou q.');
  }
  return getContacts(db, ids);
}
