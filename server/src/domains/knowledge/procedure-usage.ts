import { and, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context';
import type { DB } from '../../platform/db';
import { conflict, notFound } from '../../platform/errors';
import { recordEvent, type Actor } from '../../platform/events';
import { checklistItems } from '../tickets/ticket.schema';
import { mutateTicket } from '../tickets/ticket-commands';
import { snapshot } from '../tickets/ticket-store';
import { procedures } from './knowledge.schema';

/** Applying a procedure copies its steps onto the ticket as a checklist, and the timeline says which one. */
export function applyProcedure(ctx: AppContext, ref: string, slug: string, actor: Actor) {
  return mutateTicket(ctx, ref, async (tx, t) => {
    if (t.status === 'closed') throw conflict('TICKET_CLOSED', `La demande ${t.number} est clôturée.`);
    const [p] = await tx.select().from(procedures).where(and(eq(procedures.slug, slug), eq(procedures.status, 'published')));
    if (!p) throw notFound('PROCEDURE_NOT_FOUND', `Aucune procédure publiée « ${slug} ».`);
    const already = await tx.select({ id: checklistItems.id }).from(checklistItems).where(and(eq(checklistItems.ticketId, t.id), eq(checklistItems.kind, 'procedure'), eq(checklistItems.source, slug))).limit(1);
    if (already.length) throw conflict('PROCEDURE_ALREADY_APPLIED', `La procédure « ${p.title} » est déjà appliquée à ${t.number}.`);
    await tx.insert(checklistItems).values(p.steps.map((label, position) => ({ ticketId: t.id, kind: 'procedure', source: slug, position, label })));
    await recordEvent(tx, snapshot(t), 'procedure.applied', actor, { slug, title: p.title, version: p.version, steps: p.steps.length });
    return t;
  });
}

export interface ProcedureStats {
  slug: string;
  timesApplied: number;
  tickets: number;
  resolved: number;
  firstContactResolutionRate: number | null;
  averageHandlingMinutes: number | null;
}

/**
 * Usage of a procedure. A ticket counts as resolved at first contact when it was resolved
 * without being escalated, put on hold waiting for the client or a third party, or reopened.
 */
export async function procedureStats(db: DB, slug: string): Promise<ProcedureStats> {
  const [p] = await db.select({ id: procedures.id }).from(procedures).where(eq(procedures.slug, slug));
  if (!p) throw notFound('PROCEDURE_NOT_FOUND', `Aucune procédure « ${slug} ».`);
  const rows = await db.execute<{ applied: number; tickets: number; resolved: number; fcr: number; avg_minutes: number | null }>(sql`
    with used as (
      select distinct e.ticket_id from ticket_events e where e.type = 'procedure.applied' and e.data->>'slug' = ${slug}
    ),
    t as (
      select tk.id, tk.created_at, tk.resolved_at, tk.status,
        exists (select 1 from ticket_events x where x.ticket_id = tk.id and (
          x.type = 'ticket.escalated'
          or (x.type = 'ticket.status_changed' and (x.data->>'to' in ('waiting_on_contact', 'waiting_on_third_party') or x.data ? 'reopened'))
        )) as extra_contact
      from tickets tk join used on used.ticket_id = tk.id
    )
    select
      (select count(*) from ticket_events e where e.type = 'procedure.applied' and e.data->>'slug' = ${slug})::int as applied,
      (select count(*) from t)::int as tickets,
      (select count(*) from t where resolved_at is not null)::int as resolved,
      (select count(*) from t where resolved_at is not null and not extra_contact)::int as fcr,
      (select avg(extract(epoch from (resolved_at - created_at)) / 60) from t where resolved_at is not null)::float8 as avg_minutes`);
  const r = rows.rows[0]!;
  return {
    slug,
    timesApplied: Number(r.applied),
    tickets: Number(r.tickets),
    resolved: Number(r.resolved),
    firstContactResolutionRate: Number(r.resolved) ? Number((Number(r.fcr) / Number(r.resolved)).toFixed(3)) : null,
    averageHandlingMinutes: r.avg_minutes === null ? null : Math.round(Number(r.avg_minutes)),
  };
}
