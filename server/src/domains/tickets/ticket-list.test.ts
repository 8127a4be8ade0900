import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../../test/helpers/app';
import { usingPostgres } from '../../../../test/helpers/database';
import { call, expectError } from '../../../../test/helpers/http';
import { tickets } from './ticket.schema';

let env: TestEnv;
let contactId: string;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(async () => env?.close());

type Row = Partial<typeof tickets.$inferInsert>;
const min = (m: number) => new Date(Date.now() + m * 60_000);
const list = async (qs: string, who: keyof TestEnv['staff'] = 'supervisor') => {
  const res = await call(env.relais.app, 'GET', `/api/v1/tickets?${qs}`, { auth: env.staff[who].auth });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { items: { id: string; subject: string; contact?: { name: string; phones: string[]; emails: string[] }; sla: Record<string, unknown> }[]; nextCursor: string | null };
};

/** One ticket of the test's client, its SLA columns set as the case needs. */
async function ticketWith(subject: string, set: Row) {
  const res = await call(env.relais.app, 'POST', '/api/v1/tickets', {
    auth: env.staff.n1.auth,
    body: { subject, channel: 'phone', ...(contactId ? { contactId } : { contact: { name: 'Lucienne Favre', phone: '06 98 76 54 32', email: 'lucienne@example.fr' } }) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  contactId = res.body.contactId;
  await env.relais.ctx.db.update(tickets).set(set).where(eq(tickets.id, res.body.id));
  return res.body.id as string;
}

describe(`ticket lists (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const clear: Row = { firstRespondedAt: null, firstResponseBreachedAt: null, resolutionBreachedAt: null, slaPausedAt: null, slaRemainingSeconds: null };
    // Made in this order on purpose: the filter must sort by deadline, not by creation.
    ids.soonResolution = await ticketWith('Résolution dans 20 min', { ...clear, firstRespondedAt: min(-30), firstResponseDueAt: min(-10), resolutionDueAt: min(20) });
    ids.soonFirst = await ticketWith('Première réponse dans 30 min', { ...clear, firstResponseDueAt: min(30), resolutionDueAt: min(600) });
    ids.later = await ticketWith('Dans 3 heures', { ...clear, firstResponseDueAt: min(180), resolutionDueAt: min(900) });
    ids.lateFirst = await ticketWith('Première réponse en retard', { ...clear, firstResponseDueAt: min(-5), resolutionDueAt: min(600) });
    ids.marked = await ticketWith('Marqué dépassé, échéance future', { ...clear, resolutionBreachedAt: min(-60), firstRespondedAt: min(-100), firstResponseDueAt: min(-90), resolutionDueAt: min(10) });
    ids.pausedOk = await ticketWith('En pause, du temps restant', { ...clear, status: 'waiting_on_contact', firstRespondedAt: min(-100), firstResponseDueAt: min(-90), resolutionDueAt: null, slaPausedAt: min(-10), slaRemainingSeconds: 600 });
    ids.pausedOut = await ticketWith('En pause, budget épuisé', { ...clear, status: 'waiting_on_contact', firstRespondedAt: min(-100), firstResponseDueAt: min(-90), resolutionDueAt: null, slaPausedAt: min(-10), slaRemainingSeconds: -30 });
    ids.resolved = await ticketWith('Résolue, échéance passée', { ...clear, status: 'resolved', resolvedAt: min(-1), firstRespondedAt: min(-100), firstResponseDueAt: min(-90), resolutionDueAt: min(-30) });
  });

  it('names the client, with their phone and email, on every row', async () => {
    const { items } = await list(`contactId=${contactId}&limit=100`);
    expect(items).toHaveLength(8);
    for (const t of items) expect(t.contact).toMatchObject({ name: 'Lucienne Favre', phones: ['+33698765432'], emails: ['lucienne@example.fr'] });
  });

  it('filters on the SLA server-side, soonest deadline first, as the ticket view reads the clocks', async () => {
    const soon = await list(`contactId=${contactId}&sla=due_soon`);
    expect(soon.items.map((t) => t.id)).toEqual([ids.soonResolution, ids.soonFirst]);

    const breached = await list(`contactId=${contactId}&sla=breached`);
    expect(new Set(breached.items.map((t) => t.id))).toEqual(new Set([ids.lateFirst, ids.marked, ids.pausedOut]));
    // Every ticket the filter returns is one the view itself calls breached, and the others are not.
    const all = await list(`contactId=${contactId}&limit=100`);
    const viewBreached = all.items.filter((t) => t.id !== ids.resolved && (t.sla.firstResponseBreached || t.sla.resolutionBreached)).map((t) => t.id);
    expect(new Set(viewBreached)).toEqual(new Set(breached.items.map((t) => t.id)));

    const both = await list(`contactId=${contactId}&sla=breached&sla=due_soon`);
    expect(both.items.map((t) => t.subject)).toEqual([
      'Première réponse en retard', // due 5 min ago
      'Marqué dépassé, échéance future', // due in 10 min, but already marked
      'Résolution dans 20 min',
      'Première réponse dans 30 min',
      'En pause, budget épuisé', // no running deadline: last
    ]);
  });

  it('pages through the SLA order with its cursor, and refuses a cursor of another order', async () => {
    const full = (await list(`contactId=${contactId}&sla=breached&sla=due_soon`)).items.map((t) => t.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`contactId=${contactId}&sla=breached&sla=due_soon&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(full);

    const byDate = await list(`contactId=${contactId}&limit=1`);
    expectError(await call(env.relais.app, 'GET', `/api/v1/tickets?sla=breached&cursor=${byDate.nextCursor}`, { auth: env.staff.supervisor.auth }), 400, 'INVALID_CURSOR');
    expectError(await call(env.relais.app, 'GET', '/api/v1/tickets?sla=late', { auth: env.staff.supervisor.auth }), 400, 'VALIDATION_FAILED');
  });

  it('keeps a technician to their own tickets under the SLA filter', async () => {
    expect((await list(`sla=breached`, 'technician')).items).toEqual([]);
    await call(env.relais.app, 'POST', `/api/v1/tickets/${ids.lateFirst}/assign`, { auth: env.staff.supervisor.auth, body: { assigneeId: env.staff.technician.id } });
    expect((await list(`sla=breached`, 'technician')).items.map((t) => t.id)).toEqual([ids.lateFirst]);
  });

  it('documents the filter in the OpenAPI document', async () => {
    const doc = (await call(env.relais.app, 'GET', '/api/openapi.json')).body;
    const param = doc.paths['/api/v1/tickets'].get.parameters.find((p: { name: string }) => p.name === 'sla');
    expect(param).toBeTruthy();
    expect(JSON.stringify(param.schema)).toContain('due_soon');
    expect(param.schema.description ?? param.description).toMatch(/breached/);
  });
});
