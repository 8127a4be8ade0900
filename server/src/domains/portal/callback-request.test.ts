import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../../test/helpers/app';
import { usingPostgres } from '../../../../test/helpers/database';
import { callbacks } from '../channels/channel.schema';
import { contactIdentities, contacts } from '../contacts/contact.schema';
import { businessCalendars } from '../queues/queue.schema';
import { tickets } from '../tickets/ticket.schema';
import { CALLBACKS_PER_NUMBER_PER_HOUR } from './callback-request-routes';
import { expectPortalError, freshIp, freshMobile, newRequest, portal, PORTAL_TEST_ENV, solveCaptcha } from './portal-test-kit';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv(PORTAL_TEST_ENV);
});
afterAll(async () => env?.close());

const app = () => env.relais.app;
const db = () => env.relais.ctx.db;

/** Open every day 09:00–12:00 and 14:00–18:00 (Paris), so tomorrow has a morning and an afternoon. */
async function setHours() {
  const slots = [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [
    { weekday, start: '09:00', end: '12:00' },
    { weekday, start: '14:00', end: '18:00' },
  ]);
  await db().update(businessCalendars).set({ slots: slots as never, holidays: null, closures: [] });
  env.relais.ctx.cache.clear();
}

const ask = async (body: Record<string, unknown>, opts: { cookie?: string; ip?: string } = {}) => portal(app(), 'POST', '/callbacks', { body: { altcha: await solveCaptcha(app()), ...body }, ...opts });

describe(`"Être rappelé" on the portal (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  beforeAll(setHours);

  it('offers the next opening periods, each inside business hours', async () => {
    const res = await portal(app(), 'GET', '/callback-slots');
    expect(res.status).toBe(200);
    expect(res.body.timezone).toBe('Europe/Paris');
    expect(res.body.slots).toHaveLength(6);
    const periods = (res.body.slots as { start: string; end: string }[]).map((s) => {
      const start = DateTime.fromISO(s.start).setZone('Europe/Paris');
      const end = DateTime.fromISO(s.end).setZone('Europe/Paris');
      return `${start.toFormat('HH:mm')}-${end.toFormat('HH:mm')}`;
    });
    for (const p of periods) expect(['09:00-12:00', '14:00-18:00']).toContain(p);
    // Mornings and afternoons follow each other, in order, none of them over.
    expect(new Set(periods).size).toBe(2);
    expect(Date.parse(res.body.slots[5].end)).toBeGreaterThan(Date.parse(res.body.slots[0].end));
    expect(Date.parse(res.body.slots[0].end)).toBeGreaterThan(Date.now() + 15 * 60_000);
  });

  it('makes a callback task at the chosen moment, owned by an agent, for a new client', async () => {
    const slot = (await portal(app(), 'GET', '/callback-slots')).body.slots[1] as { start: string; end: string };
    const phone = freshMobile();
    const res = await ask({ name: 'Yvette Moreau', phone, slot: slot.start, reason: 'Je n’arrive pas à ouvrir mes mails' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // The second period is always ahead (the first may be under way).
    expect(res.body.dueAt).toBe(slot.start);
    const [cb] = await db().select().from(callbacks).where(eq(callbacks.phone, res.body.phone));
    expect(cb).toMatchObject({ source: 'portal', status: 'pending', reason: 'Demandé sur le site : Je n’arrive pas à ouvrir mes mails', ticketId: null });
    expect(cb!.dueAt.toISOString()).toBe(slot.start);
    expect(cb!.ownerId).toBeTruthy();
    const [c] = await db().select().from(contacts).where(eq(contacts.id, cb!.contactId));
    expect(c!.name).toBe('Yvette Moreau');
    const ids = await db().select().from(contactIdentities).where(eq(contactIdentities.contactId, c!.id));
    expect(ids.map((i) => i.value)).toContain(res.body.phone);
  });

  it('"as soon as possible" is due now when open, else at the next opening', async () => {
    const res = await ask({ name: 'Paul', phone: freshMobile(), slot: 'asap' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const info = (await portal(app(), 'GET', '/callback-slots')).body as { openNow: boolean; slots: { start: string }[] };
    const due = Date.parse(res.body.dueAt);
    if (info.openNow) expect(Math.abs(due - Date.now())).toBeLessThan(60_000);
    else expect(res.body.dueAt).toBe(info.slots[0]!.start);
  });

  it('links the callback to the client’s request when asked from it', async () => {
    const phone = freshMobile();
    const created = await newRequest(app(), { name: 'Jeanne Petit', phone, description: 'Mon ordinateur est lent' });
    const cookie = created.cookies.find((c) => c.name === 'relais_portal')!.value;
    const res = await ask({ phone, slot: 'asap', request: created.body.number }, { cookie });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.request).toBe(created.body.number);
    const [t] = await db().select().from(tickets).where(eq(tickets.number, created.body.number));
    const [cb] = await db().select().from(callbacks).where(eq(callbacks.ticketId, t!.id));
    expect(cb).toMatchObject({ contactId: t!.contactId, source: 'portal' });
    // Someone else's request (or no session) is refused.
    const other = await ask({ phone, slot: 'asap', request: created.body.number });
    expectPortalError(other, 401, 'PORTAL_SESSION_REQUIRED');
  });

  it('says in French what to fix, names the fields, and writes nothing', async () => {
    const before = (await db().select().from(callbacks)).length;
    const empty = await portal(app(), 'POST', '/callbacks', { body: {} });
    expectPortalError(empty, 400, 'VALIDATION_FAILED');
    expect(empty.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.altcha', 'body.name', 'body.phone', 'body.slot']);
    const badPhone = await ask({ name: 'X', phone: '12', slot: 'asap' });
    expect(badPhone.body.error.details[0]).toEqual({ field: 'body.phone', problem: 'Ce numéro de téléphone n’est pas valide. Exemple : 06 12 34 56 78.' });
    const stale = await ask({ name: 'X', phone: freshMobile(), slot: '2020-01-01T08:00:00.000Z' });
    expectPortalError(stale, 422, 'CALLBACK_SLOT_GONE');
    const badCaptcha = await portal(app(), 'POST', '/callbacks', { body: { name: 'X', phone: freshMobile(), slot: 'asap', altcha: 'bm9wZQ==' } });
    expectPortalError(badCaptcha, 400, 'CAPTCHA_INVALID');
    expect((await db().select().from(callbacks)).length).toBe(before);
  });

  it('spends the captcha once, and limits callbacks per number and per address', async () => {
    const altcha = await solveCaptcha(app());
    const first = await portal(app(), 'POST', '/callbacks', { body: { name: 'A', phone: freshMobile(), slot: 'asap', altcha } });
    expect(first.status).toBe(201);
    expectPortalError(await portal(app(), 'POST', '/callbacks', { body: { name: 'A', phone: freshMobile(), slot: 'asap', altcha } }), 409, 'CAPTCHA_ALREADY_USED');

    const phone = freshMobile();
    for (let i = 0; i < CALLBACKS_PER_NUMBER_PER_HOUR; i++) expect((await ask({ name: 'B', phone, slot: 'asap' })).status).toBe(201);
    const tooMany = await ask({ name: 'B', phone, slot: 'asap' });
    expectPortalError(tooMany, 429, 'TOO_MANY_REQUESTS');
    expect(tooMany.body.error.message).toContain('inutile de redemander');

    const ip = freshIp();
    for (let i = 0; i < Number(PORTAL_TEST_ENV.RELAIS_PORTAL_RATE_LIMIT); i++) await ask({ name: 'C', phone: freshMobile(), slot: 'asap' }, { ip });
    expectPortalError(await ask({ name: 'C', phone: freshMobile(), slot: 'asap' }, { ip }), 429, 'TOO_MANY_REQUESTS');
  });
});
