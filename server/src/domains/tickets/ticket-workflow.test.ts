import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TICKET_STATUSES, TRANSITIONS, type TicketStatus } from '../../../../common/src/tickets';
import { startTestEnv, type TestEnv } from '../../../../test/helpers/app';
import { call, expectError } from '../../../../test/helpers/http';
import { desc } from 'drizzle-orm';
import { tickets } from './ticket.schema';
import { applyStatus } from './ticket-commands';
import { lockTicket } from './ticket-store';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(async () => env?.close());

let seq = 0;
async function newTicket(extra: Record<string, unknown> = {}) {
  seq++;
  const res = await call(env.relais.app, 'POST', '/api/v1/tickets', {
    auth: env.staff.n1.auth,
    body: { subject: `Demande ${seq}`, channel: 'phone', contact: { name: `Client ${seq}`, phone: `06${String(10000000 + seq).padStart(8, '0')}` }, ...extra },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; number: string; status: TicketStatus; [k: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
const act = (ref: string, action: string, body: unknown, who: keyof TestEnv['staff'] = 'n1') =>
  call(env.relais.app, 'POST', `/api/v1/tickets/${ref}/${action}`, { auth: env.staff[who].auth, body });
const events = async (ref: string) => (await call(env.relais.app, 'GET', `/api/v1/tickets/${ref}/events`, { auth: env.staff.supervisor.auth })).body.items as { type: string; data: any; actor: any }[]; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('reading tickets', () => {
  it('accepts the number wherever an id is accepted, in any case', async () => {
    const t = await newTicket();
    for (const ref of [t.id, t.number, t.number.toLowerCase()]) {
      const res = await call(env.relais.app, 'GET', `/api/v1/tickets/${ref}`, { auth: env.staff.n2.auth });
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(t.id);
    }
    expectError(await call(env.relais.app, 'GET', '/api/v1/tickets/NUM-99999999', { auth: env.staff.n1.auth }), 404, 'TICKET_NOT_FOUND');
    expectError(await call(env.relais.app, 'GET', '/api/v1/tickets/pas-un-ticket', { auth: env.staff.n1.auth }), 404, 'TICKET_NOT_FOUND');
  });

  it('requires authentication and hides other tickets from technicians', async () => {
    const t = await newTicket();
    expectError(await call(env.relais.app, 'GET', `/api/v1/tickets/${t.id}`), 401, 'UNAUTHENTICATED');
    expectError(await call(env.relais.app, 'GET', `/api/v1/tickets/${t.id}`, { auth: { authorization: 'Bearer rls_faux' } }), 401, 'UNAUTHENTICATED');
    expectError(await call(env.relais.app, 'GET', `/api/v1/tickets/${t.id}`, { auth: env.staff.technician.auth }), 404, 'TICKET_NOT_FOUND');
    expectError(await act(t.id, 'qualify', { priority: 'high' }, 'technician'), 403, 'FORBIDDEN');
    await act(t.id, 'assign', { assigneeId: env.staff.technician.id }, 'supervisor');
    expect((await call(env.relais.app, 'GET', `/api/v1/tickets/${t.id}`, { auth: env.staff.technician.auth })).status).toBe(200);
    const list = await call(env.relais.app, 'GET', '/api/v1/tickets', { auth: env.staff.technician.auth });
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([t.id]);
  });
});

describe('qualify', () => {
  it('sets type, category, priority, level and tags, opens the ticket and records what changed', async () => {
    const t = await newTicket();
    const res = await act(t.number, 'qualify', { type: 'incident', category: 'messagerie', priority: 'high', tags: ['orange', 'mot de passe'] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ type: 'incident', category: 'messagerie', priority: 'high', tags: ['orange', 'mot de passe'], status: 'open' });
    // A higher priority brings the due times closer.
    expect(new Date(res.body.sla.resolutionDueAt).getTime()).toBeLessThan(new Date(t.sla.resolutionDueAt).getTime());
    const ev = await events(t.id);
    const q = ev.find((e) => e.type === 'ticket.qualified')!;
    expect(q.data.changes.priority).toEqual({ from: 'normal', to: 'high' });
    expect(ev.find((e) => e.type === 'ticket.status_changed')!.data).toMatchObject({ from: 'new', to: 'open' });
    expectError(await act(t.id, 'qualify', {}), 400, 'VALIDATION_FAILED');
    expectError(await act(t.id, 'qualify', { queue: 'inconnue' }), 404, 'QUEUE_NOT_FOUND');
  });
});

describe('assign', () => {
  it('lets an agent take, release and reassign, and refuses an agent of too low a level', async () => {
    await call(env.relais.app, 'PATCH', '/api/v1/me', { auth: env.staff.n2.auth, body: { available: false } });
    const t = await newTicket({ level: 2 });
    expect(t.assignee).toBeNull();
    const taken = await act(t.id, 'assign', { assigneeId: 'me' }, 'n2');
    expect(taken.body.assignee.id).toBe(env.staff.n2.id);
    expectError(await act(t.id, 'assign', { assigneeId: 'me' }, 'n2'), 409, 'ASSIGNEE_UNCHANGED');
    expectError(await act(t.id, 'assign', { assigneeId: env.staff.n1.id }, 'n2'), 409, 'LEVEL_TOO_LOW');
    const moved = await act(t.id, 'assign', { assigneeId: env.staff.n3.id }, 'n2');
    expect(moved.body.assignee.id).toBe(env.staff.n3.id);
    const released = await act(t.id, 'assign', { assigneeId: null }, 'n3');
    expect(released.body.assignee).toBeNull();
    expectError(await act(t.id, 'assign', { assigneeId: 'someone' }), 400, 'VALIDATION_FAILED');
    expectError(await act(t.id, 'assign', { assigneeId: '00000000-0000-4000-8000-000000000000' }), 404, 'STAFF_NOT_FOUND');
    expectError(await act(t.id, 'assign', { assigneeId: env.staff.admin.id }), 422, 'ASSIGNEE_NOT_ALLOWED');
    const types = (await events(t.id)).map((e) => e.type);
    expect(types).toEqual(['ticket.created', 'ticket.assigned', 'ticket.assigned', 'ticket.unassigned']);
    await call(env.relais.app, 'PATCH', '/api/v1/me', { auth: env.staff.n2.auth, body: { available: true } });
  });
});

describe('messages', () => {
  it('records public replies and internal notes; the first public reply stops the first-response clock', async () => {
    const t = await newTicket();
    const note = await act(t.id, 'messages', { visibility: 'internal', body: 'Client malentendant : parler lentement.' });
    expect(note.status).toBe(201);
    expect((await call(env.relais.app, 'GET', `/api/v1/tickets/${t.id}`, { auth: env.staff.n1.auth })).body.sla.firstRespondedAt).toBeNull();
    const reply = await act(t.id, 'messages', { visibility: 'public', body: 'Bonjour Madame, je vous rappelle dans 10 minutes.' });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ visibility: 'public', author: { kind: 'staff', id: env.staff.n1.id } });
    const after = await call(env.relais.app, 'GET', `/api/v1/tickets/${t.id}`, { auth: env.staff.n1.auth });
    expect(after.body.sla.firstRespondedAt).toBe(reply.body.createdAt);
    const msgs = await call(env.relais.app, 'GET', `/api/v1/tickets/${t.id}/messages`, { auth: env.staff.n1.auth });
    expect(msgs.body.items.map((m: { visibility: string }) => m.visibility)).toEqual(['internal', 'public']);
    expect((await events(t.id)).map((e) => e.type)).toEqual(['ticket.created', 'ticket.assigned', 'note.added', 'message.added']);
    expectError(await act(t.id, 'messages', { visibility: 'secret', body: 'x' }), 400, 'VALIDATION_FAILED');
    expectError(await act(t.id, 'messages', { visibility: 'public', body: '' }), 400, 'VALIDATION_FAILED');
  });
});

describe('status transitions', () => {
  /** Brings a fresh ticket to `status` through the allowed path. */
  async function ticketIn(status: TicketStatus) {
    const t = await newTicket();
    if (status === 'new') return t;
    await env.relais.ctx.db.transaction(async (tx) => {
      let row = await lockTicket(tx, t.id);
      const path: Record<TicketStatus, TicketStatus[]> = {
        new: [],
        awaiting_audit: [],
        open: ['open'],
        in_progress: ['in_progress'],
        waiting_on_contact: ['waiting_on_contact'],
        waiting_on_third_party: ['waiting_on_third_party'],
        scheduled: ['scheduled'],
        resolved: ['resolved'],
        closed: ['resolved', 'closed'],
        suspended: ['suspended'],
      };
      for (const s of path[status]) row = await applyStatus(tx, row, s, { kind: 'system' }, s === 'waiting_on_third_party' ? { vendor: { name: 'Éditeur' } } : {});
    });
    return t;
  }

  const startStatuses = TICKET_STATUSES.filter((s) => s !== 'awaiting_audit');
  for (const from of startStatuses) {
    it(`from ${from}: allows exactly the listed transitions and answers 409 otherwise`, async () => {
      for (const to of TICKET_STATUSES) {
        const t = await ticketIn(from);
        const body: Record<string, unknown> = { status: to };
        if (to === 'waiting_on_third_party') body.vendor = { name: 'Éditeur Compta+', reference: 'CPT-1' };
        const res = await act(t.id, 'status', body);
        if (TRANSITIONS[from].includes(to)) {
          expect(res.status, `${from} → ${to}: ${JSON.stringify(res.body)}`).toBe(200);
          expect(res.body.status).toBe(to);
        } else {
          expect(res.status, `${from} → ${to}`).toBe(409);
          expect(['ILLEGAL_TRANSITION', 'STATUS_UNCHANGED']).toContain(res.body.error.code);
        }
      }
    });
  }

  it('pauses the resolution clock while waiting on the client and resumes it after', async () => {
    const t = await newTicket();
    const waiting = await act(t.id, 'status', { status: 'waiting_on_contact', reason: 'Attend le code reçu par courrier' });
    expect(waiting.body.sla.paused).toBe(true);
    expect(waiting.body.sla.resolutionDueAt).toBeNull();
    expect(waiting.body.sla.resolutionRemainingSeconds).toBeGreaterThan(0);
    const back = await act(t.id, 'status', { status: 'in_progress' });
    expect(back.body.sla.paused).toBe(false);
    expect(back.body.sla.resolutionDueAt).not.toBeNull();
  });

  it('reopens a resolved ticket and refuses changes to a closed one', async () => {
    const t = await ticketIn('resolved');
    const reopened = await act(t.id, 'status', { status: 'open', reason: 'Le client dit que ce n’est pas réglé' });
    expect(reopened.status).toBe(200);
    expect(reopened.body.resolvedAt).toBeNull();
    expect((await events(t.id)).at(-1)!.data).toMatchObject({ from: 'resolved', to: 'open', reopened: true });
    const closed = await ticketIn('closed');
    expectError(await act(closed.id, 'messages', { visibility: 'public', body: 'x' }), 409, 'TICKET_CLOSED');
    expectError(await act(closed.id, 'status', { status: 'open' }), 409, 'ILLEGAL_TRANSITION');
  });

  it('requires the third party when waiting on one', async () => {
    const t = await newTicket();
    expectError(await act(t.id, 'status', { status: 'waiting_on_third_party' }), 422, 'VENDOR_REQUIRED');
    expectError(await act(t.id, 'status', { status: 'done' }), 400, 'VALIDATION_FAILED');
  });
});

describe('escalation', () => {
  it('goes L1 → L2 → L3 with a reason, moves the ticket away from an agent of too low a level, and keeps the history', async () => {
    const t = await newTicket();
    expect(t.assignee?.id).toBe(env.staff.n1.id);
    expectError(await act(t.id, 'escalate', { to: 2 }), 400, 'VALIDATION_FAILED');
    expectError(await act(t.id, 'escalate', { to: 2, reason: '' }), 400, 'VALIDATION_FAILED');
    const l2 = await act(t.id, 'escalate', { to: 2, reason: 'Diagnostic à distance nécessaire' });
    expect(l2.status).toBe(200);
    expect(l2.body.level).toBe(2);
    expect(l2.body.assignee?.id).not.toBe(env.staff.n1.id);
    expectError(await act(t.id, 'escalate', { to: 2, reason: 'encore' }), 409, 'ESCALATION_NOT_UPWARD');
    const l3 = await act(t.id, 'escalate', { to: 3, reason: 'Soupçon de logiciel espion' }, 'n2');
    expect(l3.body.level).toBe(3);
    const esc = (await events(t.id)).filter((e) => e.type === 'ticket.escalated');
    expect(esc.map((e) => [e.data.from, e.data.to, e.data.reason, e.actor.id])).toEqual([
      [1, 2, 'Diagnostic à distance nécessaire', env.staff.n1.id],
      [2, 3, 'Soupçon de logiciel espion', env.staff.n2.id],
    ]);
  });

  it('escalates to the software publisher with its name and reference', async () => {
    const t = await newTicket({ queue: 'logiciels' });
    expectError(await act(t.id, 'escalate', { to: 'vendor', reason: 'Bug éditeur' }), 422, 'VENDOR_REQUIRED');
    const res = await act(t.id, 'escalate', { to: 'vendor', reason: 'Bug éditeur reproduit', vendor: { name: 'Éditeur Compta+', reference: 'CPT-2291' } });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('waiting_on_third_party');
    expect(res.body.vendor).toEqual({ name: 'Éditeur Compta+', reference: 'CPT-2291' });
    expect(res.body.sla.paused).toBe(true);
    expect((await events(t.id)).find((e) => e.type === 'ticket.escalated')!.data).toMatchObject({ to: 'vendor', vendor: { name: 'Éditeur Compta+' } });
  });
});

describe('the red button', () => {
  it('makes the ticket a level-3 critical emergency in the cyber queue with the first-instructions checklist', async () => {
    const t = await newTicket();
    const res = await act(t.number, 'cyber-emergency', { note: 'Virement en cours vers un inconnu' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ cyberEmergency: true, priority: 'critical', level: 3, queue: { slug: 'urgences-cyber' } });
    // The level-1 agent no longer holds an emergency.
    expect(res.body.assignee).toBeNull();
    expect(res.body.checklist.length).toBeGreaterThanOrEqual(5);
    expect(res.body.checklist[0].label).toMatch(/cliquer/);
    expect(res.body.checklist.every((i: { checked: boolean }) => !i.checked)).toBe(true);
    const item = res.body.checklist[1];
    const ticked = await call(env.relais.app, 'PATCH', `/api/v1/tickets/${t.id}/checklist/${item.id}`, { auth: env.staff.n3.auth, body: { checked: true } });
    expect(ticked.status).toBe(200);
    expect(ticked.body.checklist[1]).toMatchObject({ checked: true, checkedBy: env.staff.n3.id });
    expectError(await call(env.relais.app, 'PATCH', `/api/v1/tickets/${t.id}/checklist/00000000-0000-4000-8000-000000000000`, { auth: env.staff.n3.auth, body: { checked: true } }), 404, 'CHECKLIST_ITEM_NOT_FOUND');
    expectError(await call(env.relais.app, 'PATCH', `/api/v1/tickets/${t.id}/checklist/abc`, { auth: env.staff.n3.auth, body: { checked: true } }), 400, 'VALIDATION_FAILED');
    expectError(await act(t.id, 'cyber-emergency', {}), 409, 'ALREADY_CYBER_EMERGENCY');
    const types = (await events(t.id)).map((e) => e.type);
    expect(types).toContain('ticket.cyber_emergency');
    expect(types).toContain('checklist.item_checked');
    const list = await call(env.relais.app, 'GET', '/api/v1/tickets?cyberEmergency=true', { auth: env.staff.n3.auth });
    expect(list.body.items.map((x: { id: string }) => x.id)).toContain(t.id);
    // A level-3 agent takes it.
    expect((await act(t.id, 'assign', { assigneeId: 'me' }, 'n3')).body.assignee.id).toBe(env.staff.n3.id);
  });

  it('keeps a level-3 owner and works from any level', async () => {
    const t = await newTicket({ level: 3 });
    await act(t.id, 'assign', { assigneeId: env.staff.n3.id }, 'supervisor');
    const res = await act(t.id, 'cyber-emergency', undefined, 'n1');
    expect(res.status).toBe(200);
    expect(res.body.assignee.id).toBe(env.staff.n3.id);
  });
});

describe('listing and search', () => {
  it('filters, searches in French without accents, and paginates with a cursor', async () => {
    const a = await newTicket({ subject: 'Mon compte Facebook a été piraté', description: 'Je ne peux plus me connecter.' });
    const b = await newTicket({ subject: 'Imprimante', description: 'Elle n’imprime plus depuis la mise à jour.' });
    await act(b.id, 'messages', { visibility: 'public', body: 'Avez-vous redémarré l’ordinateur ?' });
    const c = await newTicket({ subject: 'Question', contact: { name: 'Hélène Fournier', phone: '0698765432' } });
    const search = async (q: string) => (await call(env.relais.app, 'GET', `/api/v1/tickets?q=${encodeURIComponent(q)}`, { auth: env.staff.n1.auth })).body.items.map((t: { id: string }) => t.id);
    expect(await search('pirate')).toContain(a.id);
    expect(await search('piratés')).toContain(a.id);
    expect(await search('redemarre')).toContain(b.id);
    expect(await search('helene fournier')).toContain(c.id);
    expect(await search('Helene Fourier')).toContain(c.id);
    expect(await search('06 98 76 54 32')).toContain(c.id);
    expect(await search(a.number.toLowerCase())).toEqual([a.id]);
    expect(await search('pirate')).not.toContain(b.id);

    const level2 = await call(env.relais.app, 'GET', '/api/v1/tickets?level=2', { auth: env.staff.n1.auth });
    expect(level2.body.items.every((t: { level: number }) => t.level === 2)).toBe(true);
    const statuses = await call(env.relais.app, 'GET', '/api/v1/tickets?status=new&status=open', { auth: env.staff.n1.auth });
    expect(statuses.body.items.every((t: { status: string }) => ['new', 'open'].includes(t.status))).toBe(true);
    const mine = await call(env.relais.app, 'GET', '/api/v1/tickets?assignee=me', { auth: env.staff.n1.auth });
    expect(mine.body.items.every((t: { assignee: { id: string } | null }) => t.assignee?.id === env.staff.n1.id)).toBe(true);
    const unassigned = await call(env.relais.app, 'GET', '/api/v1/tickets?assignee=none&queue=urgences-cyber', { auth: env.staff.n1.auth });
    expect(unassigned.body.items.every((t: { assignee: unknown; queue: { slug: string } }) => t.assignee === null && t.queue.slug === 'urgences-cyber')).toBe(true);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await call(env.relais.app, 'GET', `/api/v1/tickets?limit=7${cursor ? `&cursor=${cursor}` : ''}`, { auth: env.staff.supervisor.auth });
      seen.push(...page.body.items.map((t) => t.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = await env.relais.ctx.db.select({ id: tickets.id }).from(tickets).orderBy(desc(tickets.createdAt), desc(tickets.id));
    expect(seen).toEqual(all.map((t) => t.id));
    expectError(await call(env.relais.app, 'GET', '/api/v1/tickets?cursor=nimportequoi', { auth: env.staff.n1.auth }), 400, 'INVALID_CURSOR');
    expectError(await call(env.relais.app, 'GET', '/api/v1/tickets?limit=1000', { auth: env.staff.n1.auth }), 400, 'VALIDATION_FAILED');
    expectError(await call(env.relais.app, 'GET', '/api/v1/tickets?assignee=bob', { auth: env.staff.n1.auth }), 400, 'VALIDATION_FAILED');
  });
});
