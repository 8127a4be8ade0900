import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { EVENTS_CHANNEL, type TicketEventSignal } from '../../platform/events';
import type { DB } from '../../platform/db';
import { createTicket } from './ticket-intake';
import { startTestEnv, type TestEnv } from '../../../../test/helpers/app';
import { call, expectError } from '../../../../test/helpers/http';
import { contactIdentities, contacts } from '../contacts/contact.schema';
import { queues } from '../queues/queue.schema';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(async () => env?.close());

const post = (body: unknown, auth = env.staff.n1.auth) => call(env.relais.app, 'POST', '/api/v1/tickets', { auth, body });

describe('POST /api/v1/tickets', () => {
  it('creates a ticket with a readable number, the queue level, SLA due times and a created event', async () => {
    const res = await post({ subject: 'Je ne reçois plus mes emails', channel: 'phone', contact: { name: 'Jeanne Dupuis', phone: '06 12 34 56 78' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const t = res.body;
    expect(t.number).toMatch(/^NUM-\d{5}$/);
    expect(t.status).toBe('new');
    expect(t.level).toBe(1);
    expect(t.queue.slug).toBe('accueil');
    expect(t.priority).toBe('normal');
    expect(t.contactId).toBeTruthy();
    expect(t.sla.firstResponseDueAt).toBeTruthy();
    expect(new Date(t.sla.resolutionDueAt).getTime()).toBeGreaterThan(new Date(t.sla.firstResponseDueAt).getTime());
    expect(t.contact.phones).toEqual(['+33612345678']);
    const events = await call(env.relais.app, 'GET', `/api/v1/tickets/${t.number}/events`, { auth: env.staff.n1.auth });
    expect(events.body.items[0]).toMatchObject({ type: 'ticket.created', actor: { kind: 'staff', id: env.staff.n1.id } });
  });

  it('keeps any text exactly as typed (quotes, backslashes, emoji, SQL-looking text)', async () => {
    const subject = `L'écran dit "C:\\Users\\Jo" ; $$ '); drop table tickets; -- 😀`;
    const description = 'Ligne 1\nLigne 2 \\x00 \\\' E\'\\n\' \t fin';
    const res = await post({ subject, description, channel: 'web', tags: ["l'étiquette", 'a\\b'], contact: { name: "O'Brien \\ Zoé", phone: '06 44 55 66 77' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const got = await call(env.relais.app, 'GET', `/api/v1/tickets/${res.body.id}`, { auth: env.staff.n1.auth });
    expect(got.body.subject).toBe(subject);
    expect(got.body.description).toBe(description);
    expect(got.body.tags).toEqual(["l'étiquette", 'a\\b']);
    expect(got.body.contact.name).toBe("O'Brien \\ Zoé");
  });

  it('numbers tickets from a sequence: unique and increasing, even when created at the same time', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => post({ subject: `Demande ${i}`, channel: 'web', contact: { name: `Client ${i}`, email: `client${i}@example.fr` } })),
    );
    const numbers = results.map((r) => r.body.number as string);
    expect(new Set(numbers).size).toBe(12);
    for (const n of numbers) expect(n).toMatch(/^NUM-\d{5}$/);
  });

  it('matches the contact by phone in any format and never duplicates it', async () => {
    const a = await post({ subject: 'Première demande', channel: 'phone', contact: { name: 'Marcel Girard', phone: '07 81 22 33 44' } });
    const b = await post({ subject: 'Deuxième demande', channel: 'whatsapp', contact: { name: 'M. Girard', phone: '+33 7 81 22 33 44', email: 'marcel@example.fr' } });
    expect(b.body.contactId).toBe(a.body.contactId);
    // The new email is added to the known contact.
    expect(b.body.contact.emails).toEqual(['marcel@example.fr']);
    const c = await post({ subject: 'Troisième', channel: 'email', contact: { name: 'Marcel', email: 'MARCEL@example.fr' } });
    expect(c.body.contactId).toBe(a.body.contactId);
    const rows = await env.relais.ctx.db.select().from(contactIdentities).where(eq(contactIdentities.contactId, a.body.contactId));
    expect(rows.map((r) => r.value).sort()).toEqual(['+33781223344', 'marcel@example.fr']);
  });

  it('creates one contact when two requests from the same new person arrive at once', async () => {
    const [a, b] = await Promise.all([
      post({ subject: 'Appel', channel: 'phone', contact: { name: 'Rose Blanc', phone: '06 55 44 33 22' } }),
      post({ subject: 'WhatsApp', channel: 'whatsapp', contact: { name: 'Rose Blanc', phone: '0655443322' } }),
    ]);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.contactId).toBe(b.body.contactId);
  });

  it('accepts an existing contactId and refuses an unknown one', async () => {
    const first = await post({ subject: 'x', channel: 'phone', contact: { name: 'Paul', phone: '0612000001' } });
    const again = await post({ subject: 'y', channel: 'phone', contactId: first.body.contactId });
    expect(again.status).toBe(201);
    expect(again.body.contactId).toBe(first.body.contactId);
    expectError(await post({ subject: 'z', channel: 'phone', contactId: '00000000-0000-4000-8000-000000000000' }), 404, 'CONTACT_NOT_FOUND');
    expectError(await post({ subject: 'z', channel: 'phone' }), 422, 'CONTACT_REQUIRED');
  });

  it('routes to the queue given, at its level', async () => {
    const res = await post({ subject: 'Serveur cloud inaccessible', channel: 'phone', queue: 'cloud', contact: { name: 'Société X', phone: '0145000000' } });
    expect(res.body.queue.slug).toBe('cloud');
    expect(res.body.level).toBe(2);
    expectError(await post({ subject: 'x', channel: 'phone', queue: 'nope', contact: { name: 'A', phone: '0612000002' } }), 404, 'QUEUE_NOT_FOUND');
  });

  it('rejects bad input with a 4xx naming the field, and writes nothing', async () => {
    const [{ count: before }] = (await env.relais.ctx.db.execute<{ count: string }>('select count(*)::text as count from tickets' as never)).rows as [{ count: string }];
    const cases: [unknown, number, string, string?][] = [
      [{ channel: 'phone', contact: { name: 'A', phone: '0612000003' } }, 400, 'VALIDATION_FAILED', 'body.subject'],
      [{ subject: 'x', channel: 'fax', contact: { name: 'A', phone: '0612000003' } }, 400, 'VALIDATION_FAILED', 'body.channel'],
      [{ subject: 'x', channel: 'phone', priority: 'urgent', contact: { name: 'A', phone: '0612000003' } }, 400, 'VALIDATION_FAILED', 'body.priority'],
      [{ subject: 'x', channel: 'phone', level: 4, contact: { name: 'A', phone: '0612000003' } }, 400, 'VALIDATION_FAILED', 'body.level'],
      [{ subject: 'x', channel: 'phone', contact: { name: 'A', phone: '12' } }, 400, 'VALIDATION_FAILED', 'body.contact.phone'],
      [{ subject: 'x', channel: 'phone', contact: { name: 'A', phone: '01 02' } }, 422, 'INVALID_PHONE'],
      [{ subject: 'x', channel: 'phone', contact: { name: 'A', email: 'pas-un-email' } }, 422, 'INVALID_EMAIL'],
      [{ subject: 'x', channel: 'phone', surprise: true, contact: { name: 'A', phone: '0612000003' } }, 400, 'VALIDATION_FAILED', 'body.surprise'],
      ['une chaîne', 400, 'VALIDATION_FAILED'],
      [[1, 2], 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await call(env.relais.app, 'POST', '/api/v1/tickets', {
        auth: env.staff.n1.auth,
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
      expectError(res, status, code);
      if (field) expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const bad = await env.relais.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { ...env.staff.n1.auth, 'content-type': 'application/json' }, payload: '{"subject": ' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).error.code).toBe('BAD_REQUEST');
    const [{ count: after }] = (await env.relais.ctx.db.execute<{ count: string }>('select count(*)::text as count from tickets' as never)).rows as [{ count: string }];
    expect(after).toBe(before);
    expectError(await call(env.relais.app, 'POST', '/api/v1/tickets', { auth: env.staff.n1.auth, body: '<x/>', headers: { 'content-type': 'application/xml' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('auto-assignment', () => {
  it('gives the ticket to the least-loaded available agent of the level with the skill', async () => {
    const q = await env.relais.ctx.db.select().from(queues).where(eq(queues.slug, 'commercial'));
    await env.relais.ctx.db.update(queues).set({ requiredSkill: 'ventes', defaultLevel: 2 }).where(eq(queues.id, q[0]!.id));
    env.relais.ctx.cache.clear();
    const busy = await env.addStaff('agent', 2, { skills: ['ventes'] });
    const idle = await env.addStaff('agent', 2, { skills: ['ventes'] });
    await env.addStaff('agent', 2, { skills: ['ventes'], available: false });
    // Load the first one.
    for (let i = 0; i < 2; i++) {
      const t = await post({ subject: `Devis ${i}`, channel: 'phone', queue: 'commercial', contact: { name: 'C', phone: `061100000${i}` } });
      await call(env.relais.app, 'POST', `/api/v1/tickets/${t.body.id}/assign`, { auth: env.staff.admin.auth, body: { assigneeId: busy.id } }).catch(() => {});
    }
    const assigned = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const t = await post({ subject: `Offre ${i}`, channel: 'phone', queue: 'commercial', contact: { name: 'D', phone: `062200000${i}` } });
      expect(t.body.assignee).not.toBeNull();
      assigned.add(t.body.assignee.id);
    }
    expect(assigned.has(idle.id)).toBe(true);
    const unavailable = [...assigned].filter((id) => id !== idle.id && id !== busy.id);
    expect(unavailable).toEqual([]);
    const events = await call(env.relais.app, 'GET', `/api/v1/tickets?queue=commercial&limit=1`, { auth: env.staff.n1.auth });
    const ev = await call(env.relais.app, 'GET', `/api/v1/tickets/${events.body.items[0].id}/events`, { auth: env.staff.n1.auth });
    expect(ev.body.items.map((e: { type: string }) => e.type)).toEqual(['ticket.created', 'ticket.assigned']);
    await env.relais.ctx.db.update(queues).set({ requiredSkill: null, defaultLevel: 1 }).where(eq(queues.id, q[0]!.id));
    env.relais.ctx.cache.clear();
  });

  it('leaves the ticket unassigned in its queue when nobody fits', async () => {
    const res = await post({ subject: 'Sans compétence', channel: 'phone', queue: 'administratif', level: 2, contact: { name: 'E', phone: '0633000000' } });
    // n2 has no skill requirement to meet here, so it may be assigned; make the queue demand a skill nobody has.
    await env.relais.ctx.db.update(queues).set({ requiredSkill: 'latin' }).where(eq(queues.slug, 'administratif'));
    env.relais.ctx.cache.clear();
    const none = await post({ subject: 'Personne', channel: 'phone', queue: 'administratif', contact: { name: 'F', phone: '0633000001' } });
    expect(none.body.assignee).toBeNull();
    expect(res.status).toBe(201);
    await env.relais.ctx.db.update(queues).set({ requiredSkill: null }).where(eq(queues.slug, 'administratif'));
    env.relais.ctx.cache.clear();
  });
});

describe('intake policies (OCM)', () => {
  it('records a request that fails a policy, holds it with the reasons, and releases it once cleared', async () => {
    await env.relais.ctx.db.update(queues).set({ requiresAudit: true, requiresTraining: 'Sage Paie' }).where(eq(queues.slug, 'logiciels'));
    env.relais.ctx.cache.clear();
    const held = await post({ subject: 'Aide logiciel', channel: 'phone', queue: 'logiciels', contact: { name: 'Garage Perrin', phone: '0320406080' } });
    expect(held.status).toBe(201);
    expect(held.body.status).toBe('awaiting_audit');
    expect(held.body.assignee).toBeNull();
    expect(held.body.policyHolds.map((h: { code: string }) => h.code)).toEqual(['AUDIT_REQUIRED', 'TRAINING_REQUIRED']);
    expect(held.body.policyHolds[1].message).toContain('Sage Paie');
    expect(held.body.sla.paused).toBe(false);

    // Once the audit is done and the training recorded, a new request goes straight in.
    const patched = await call(env.relais.app, 'PATCH', `/api/v1/contacts/${held.body.contactId}`, {
      auth: env.staff.n1.auth,
      body: { auditCompletedAt: new Date().toISOString(), trainedOn: ['sage paie'] },
    });
    expect(patched.status).toBe(200);
    const ok = await post({ subject: 'Autre question', channel: 'phone', queue: 'logiciels', contactId: held.body.contactId });
    expect(ok.body.status).toBe('new');
    expect(ok.body.policyHolds).toEqual([]);

    // The held one is released by an agent.
    const released = await call(env.relais.app, 'POST', `/api/v1/tickets/${held.body.number}/status`, { auth: env.staff.n1.auth, body: { status: 'open', reason: 'Audit réalisé le 12/11' } });
    expect(released.status).toBe(200);
    expect(released.body.status).toBe('open');
    expect(released.body.policyHolds).toEqual([]);
    await env.relais.ctx.db.update(queues).set({ requiresAudit: false, requiresTraining: null }).where(eq(queues.slug, 'logiciels'));
    env.relais.ctx.cache.clear();
  });
});

describe('contacts', () => {
  it('never stores the same phone twice', async () => {
    const a = await call(env.relais.app, 'POST', '/api/v1/contacts', { auth: env.staff.n1.auth, body: { name: 'Anne', phones: ['06 77 88 99 00'], emails: ['anne@example.fr'] } });
    expect(a.status).toBe(201);
    const b = await call(env.relais.app, 'POST', '/api/v1/contacts', { auth: env.staff.n1.auth, body: { name: 'Anne bis', phone: '+33677889900' } });
    expectError(b, 409, 'CONTACT_EXISTS');
    expect(b.body.error.details.contactId).toBe(a.body.id);
    const found = await call(env.relais.app, 'GET', '/api/v1/contacts?phone=0677889900', { auth: env.staff.n1.auth });
    expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([a.body.id]);
    const byName = await call(env.relais.app, 'GET', '/api/v1/contacts?q=anne', { auth: env.staff.n1.auth });
    expect(byName.body.items.map((c: { id: string }) => c.id)).toContain(a.body.id);
    const byMail = await call(env.relais.app, 'GET', '/api/v1/contacts?email=ANNE@example.fr', { auth: env.staff.n1.auth });
    expect(byMail.body.items[0].id).toBe(a.body.id);
    expectError(await call(env.relais.app, 'GET', '/api/v1/contacts', { auth: env.staff.n1.auth }), 422, 'SEARCH_CRITERIA_REQUIRED');
    expectError(await call(env.relais.app, 'GET', '/api/v1/contacts/00000000-0000-4000-8000-000000000000', { auth: env.staff.n1.auth }), 404, 'CONTACT_NOT_FOUND');
    const rows = await env.relais.ctx.db.select().from(contacts).where(eq(contacts.name, 'Anne bis'));
    expect(rows).toEqual([]);
  });
});

describe('realtime signals of an intake', () => {
  it('announces each stored event to every node, in order, and nothing for a rolled-back intake', async () => {
    const { ctx } = env.relais;
    const heard: TicketEventSignal[] = [];
    const unlisten = await ctx.database.listen(EVENTS_CHANNEL, (payload) => heard.push(JSON.parse(payload) as TicketEventSignal));
    try {
      // Inside a caller's transaction that fails (a portal request, a channel message): no ticket, no signal.
      let rolledBack = '';
      await expect(
        ctx.db.transaction(async (tx) => {
          const { ticket } = await createTicket({ ...ctx, db: tx as unknown as DB }, { kind: 'system' }, { subject: 'Annulée', channel: 'web', contact: { name: 'Annulé', phone: '06 10 20 30 44' } });
          rolledBack = ticket.id;
          throw new Error('annulé');
        }),
      ).rejects.toThrow('annulé');
      expect(rolledBack).not.toBe('');

      const res = await post({ subject: 'Mon imprimante ne répond plus', channel: 'phone', contact: { name: 'Lucie Martin', phone: '06 10 20 30 40' } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const events = await call(env.relais.app, 'GET', `/api/v1/tickets/${res.body.id}/events`, { auth: env.staff.n1.auth });
      const stored = (events.body.items as { id: number; type: string }[]).map((e) => ({ id: Number(e.id), type: e.type }));
      expect(stored[0]!.type).toBe('ticket.created');
      await vi.waitFor(() => expect(heard.filter((h) => h.ticketId === res.body.id).map((h) => ({ id: Number(h.id), type: h.type }))).toEqual(stored));
      const created = heard.find((h) => h.ticketId === res.body.id && h.type === 'ticket.created')!;
      expect(created).toMatchObject({ number: res.body.number, status: 'new', level: 1, queueId: res.body.queue.id, assigneeId: res.body.assignee?.id ?? null, cyberEmergency: false });
      expect(heard.some((h) => h.ticketId === rolledBack)).toBe(false);
    } finally {
      await unlisten();
    }
  });

  it('announces every event of intakes made at the same time, each ticket’s in order', async () => {
    const heard: TicketEventSignal[] = [];
    const unlisten = await env.relais.ctx.database.listen(EVENTS_CHANNEL, (payload) => heard.push(JSON.parse(payload) as TicketEventSignal));
    try {
      const made = await Promise.all(
        Array.from({ length: 15 }, (_, i) => post({ subject: `Signal ${i}`, channel: 'web', contact: { name: `Signalé ${i}`, email: `signal${i}@example.fr` } })),
      );
      for (const res of made) {
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        const events = await call(env.relais.app, 'GET', `/api/v1/tickets/${res.body.id}/events`, { auth: env.staff.n1.auth });
        const stored = (events.body.items as { id: number; type: string }[]).map((e) => ({ id: Number(e.id), type: e.type }));
        await vi.waitFor(() => expect(heard.filter((h) => h.ticketId === res.body.id).map((h) => ({ id: Number(h.id), type: h.type }))).toEqual(stored));
      }
    } finally {
      await unlisten();
    }
  });
});
