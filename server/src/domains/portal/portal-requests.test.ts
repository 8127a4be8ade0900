import fs from 'node:fs/promises';
import path from 'node:path';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../../test/helpers/app';
import { call } from '../../../../test/helpers/http';
import { NOTIFICATIONS_CHANNEL, type NotificationSignal } from '../../platform/events';
import { DEFAULT_FIRST_INSTRUCTIONS } from '../queues/settings';
import { contacts } from '../contacts/contact.schema';
import { tickets } from '../tickets/ticket.schema';
import { consumeCaptcha, newChallenge } from './captcha';
import { portalCaptchaUses, portalMagicLinks } from './portal.schema';
import {
  expectPortalError,
  freshIp,
  freshMobile,
  newRequest,
  payloadFor,
  portal,
  PORTAL_TEST_ENV,
  queuedNotifications,
  solveCaptcha,
  solveWithWidgetWorker,
  tokenOfLink,
} from './portal-test-kit';

let env: TestEnv;
const alerts: NotificationSignal[] = [];
beforeAll(async () => {
  env = await startTestEnv(PORTAL_TEST_ENV);
  await env.relais.ctx.database.listen(NOTIFICATIONS_CHANNEL, (p) => alerts.push(JSON.parse(p) as NotificationSignal));
});
afterAll(async () => env?.close());

const app = () => env.relais.app;
const db = () => env.relais.ctx.db;
const ticketCount = async () => (await db().select({ n: count() }).from(tickets))[0]!.n;

describe('the captcha (ALTCHA v2)', () => {
  it('hands out signed PBKDF2 challenges in the shape the altcha 3 widget reads', async () => {
    const res = await portal(app(), 'GET', '/captcha');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.parameters).toMatchObject({ algorithm: 'PBKDF2/SHA-256', cost: 10, keyLength: 32 });
    for (const k of ['nonce', 'salt', 'keyPrefix', 'keySignature']) expect(res.body.parameters[k]).toMatch(/^[0-9a-f]+$/);
    expect(res.body.signature).toMatch(/^[0-9a-f]{64}$/);
    // One hour to fill in the form.
    expect(res.body.parameters.expiresAt * 1000 - Date.now()).toBeGreaterThan(59 * 60_000);
    // No RELAIS_CAPTCHA_SECRET: one was generated in the data folder, readable by the owner only.
    const stat = await fs.stat(path.join(env.dataDir, 'secrets', 'captcha.key'));
    expect(stat.mode & 0o777).toBe(0o600);
  });

  it('is solved by the altcha widget’s own worker code, and its payload accepted', async () => {
    const challenge = (await portal(app(), 'GET', '/captcha')).body;
    const altcha = await solveWithWidgetWorker(challenge);
    const res = await portal(app(), 'POST', '/requests', { body: { name: 'Widget', email: 'widget@exemple.fr', description: 'Test du widget', altcha } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it('accepts a solved challenge once, refuses a replay, a forgery, the widget’s test mode and an expired one', async () => {
    const altcha = await solveCaptcha(app());
    const body = { name: 'Rémi Caron', phone: freshMobile(), description: 'Mon imprimante ne marche plus.' };
    expect((await portal(app(), 'POST', '/requests', { body: { ...body, altcha } })).status).toBe(201);
    expectPortalError(await portal(app(), 'POST', '/requests', { body: { ...body, altcha } }), 409, 'CAPTCHA_ALREADY_USED');

    // Another key solved honestly, but the server's signature does not match it.
    const forged = await newChallenge({ ...env.relais.ctx.config, captchaSecret: 'x'.repeat(40) });
    expectPortalError(await portal(app(), 'POST', '/requests', { body: { ...body, altcha: await payloadFor(forged) } }), 400, 'CAPTCHA_INVALID');
    // A wrong answer to a genuine challenge.
    const genuine = (await portal(app(), 'GET', '/captcha')).body;
    const wrong = Buffer.from(JSON.stringify({ challenge: genuine, solution: { counter: 1, derivedKey: 'ab'.repeat(32) } })).toString('base64');
    expectPortalError(await portal(app(), 'POST', '/requests', { body: { ...body, altcha: wrong } }), 400, 'CAPTCHA_INVALID');
    // The widget's `test` mode must never pass on a real server.
    const testMode = Buffer.from(JSON.stringify({ challenge: null, solution: null, test: true })).toString('base64');
    expectPortalError(await portal(app(), 'POST', '/requests', { body: { ...body, altcha: testMode } }), 400, 'CAPTCHA_INVALID');
    for (const junk of ['', 'pas du base64 !', Buffer.from('{"challenge":{}}').toString('base64')]) {
      const res = await portal(app(), 'POST', '/requests', { body: { ...body, altcha: junk } });
      expect(res.status, junk).toBe(400);
    }
    const old = await newChallenge(env.relais.ctx.config, new Date(Date.now() - 2 * 3600_000));
    expectPortalError(await portal(app(), 'POST', '/requests', { body: { ...body, altcha: await payloadFor(old) } }), 400, 'CAPTCHA_EXPIRED');
  });

  it('keeps a solution usable when the request it came with was not recorded', async () => {
    const altcha = await solveCaptcha(app());
    await expect(
      db().transaction(async (tx) => {
        await consumeCaptcha(tx, env.relais.ctx.config, altcha);
        throw new Error('the request failed after the captcha');
      }),
    ).rejects.toThrow('the request failed');
    const res = await portal(app(), 'POST', '/requests', { body: { name: 'Anne', email: 'anne@exemple.fr', description: 'Bonjour', altcha } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const [spent] = await db().select().from(portalCaptchaUses).where(eq(portalCaptchaUses.signature, JSON.parse(Buffer.from(altcha, 'base64').toString()).challenge.signature));
    expect(spent).toBeDefined();
  });
});

describe('POST /requests', () => {
  it('records the request, sets the portal cookie and queues the confirmation with a working magic link', async () => {
    const before = (await queuedNotifications(db())).length;
    const res = await newRequest(app(), { name: '  Jeanne Martin ', email: 'Jeanne.Martin@Exemple.fr', description: 'Je ne reçois plus mes emails depuis hier.\nMerci de m’aider.', category: 'messagerie' });
    expect(res.body).toEqual({
      number: expect.stringMatching(/^NUM-\d+$/),
      status: 'new',
      step: 1,
      verificationCode: expect.stringMatching(/^\d{4}$/),
      portalToken: expect.stringMatching(/^rlp_/),
      sentTo: 'email',
    });
    expect(res.headers['cache-control']).toBe('no-store');
    const cookie = res.cookies.find((c) => c.name === 'relais_portal')!;
    expect(cookie).toMatchObject({ value: res.body.portalToken, httpOnly: true, sameSite: 'Lax', path: '/api/v1/portal' });
    expect(cookie.secure).toBeFalsy();
    expect(new Date(cookie.expires as Date).getTime() - Date.now()).toBeGreaterThan(29 * 86400_000);

    // The desk sees a web request from that contact, created by the contact.
    const staffView = await call(app(), 'GET', `/api/v1/tickets/${res.body.number}`, { auth: env.staff.n1.auth });
    expect(staffView.body).toMatchObject({ channel: 'web', category: 'messagerie', subject: 'Je ne reçois plus mes emails depuis hier. Merci de m’aider.', status: 'new', priority: 'normal', tags: [] });
    expect(staffView.body.contact).toMatchObject({ name: 'Jeanne Martin', emails: ['jeanne.martin@exemple.fr'] });
    // The code the client reads is the one the adviser sees.
    expect(staffView.body.verificationCode).toBe(res.body.verificationCode);
    const events = await call(app(), 'GET', `/api/v1/tickets/${res.body.number}/events`, { auth: env.staff.n1.auth });
    expect(events.body.items[0]).toMatchObject({ type: 'ticket.created', actor: { kind: 'contact', id: staffView.body.contactId } });

    const queued = (await queuedNotifications(db())).slice(before);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ template: 'ticket_received', channel: 'email', contactId: staffView.body.contactId, ticketId: staffView.body.id, variables: { number: res.body.number, name: 'Jeanne Martin' } });
    expect(queued[0]!.variables.link).toMatch(/^http:\/\/portail\.test\/mes-demandes\?t=[A-Za-z0-9_-]{32}$/);
    // Stored hashed: the token itself is nowhere in the database.
    const token = tokenOfLink(queued[0]!.variables.link!);
    const links = await db().select().from(portalMagicLinks).where(eq(portalMagicLinks.ticketId, staffView.body.id));
    expect(links).toHaveLength(1);
    expect(links[0]!.tokenHash).not.toContain(token);
    expect(links[0]!.expiresAt.getTime() - links[0]!.createdAt.getTime()).toBe(7 * 86400_000);

    // The portal cookie opens the request at once (the confirmation page adds attachments).
    const mine = await portal(app(), 'GET', `/requests/${res.body.number}`, { cookie: res.body.portalToken });
    expect(mine.status).toBe(200);
    const session = await portal(app(), 'POST', '/sessions', { body: { token } });
    expect(session.status, JSON.stringify(session.body)).toBe(201);
    expect(session.body).toEqual({ contact: { name: 'Jeanne Martin' } });
  });

  it('lists every problem of the form at once, in French, and writes nothing', async () => {
    const before = await ticketCount();
    const res = await portal(app(), 'POST', '/requests', { body: { name: ' ', phone: '12', email: 'pas-un-email', description: '' } });
    expectPortalError(res, 400, 'VALIDATION_FAILED');
    const fields = (res.body.error.details as { field: string; problem: string }[]).map((d) => d.field);
    expect(fields).toEqual(['body.name', 'body.phone', 'body.email', 'body.description', 'body.altcha']);
    expect(res.body.error.details[1].problem).toContain('06 12 34 56 78');
    const noContact = await portal(app(), 'POST', '/requests', { body: { name: 'Paul', description: 'Aide', altcha: await solveCaptcha(app()) } });
    expectPortalError(noContact, 400, 'VALIDATION_FAILED');
    expect(noContact.body.error.message).toMatch(/téléphone ou une adresse email/);
    // Types are still checked by the schema (a programming error, not a person's).
    expectPortalError(await portal(app(), 'POST', '/requests', { body: { name: 'Paul', phone: 612345678, description: 'x' } }), 400, 'VALIDATION_FAILED');
    expectPortalError(await portal(app(), 'POST', '/requests', { body: { name: 'Paul', email: 'p@x.fr', description: 'x', admin: true } }), 400, 'VALIDATION_FAILED');
    expect(await ticketCount()).toBe(before);
  });

  it('writes nothing at all when a step fails half-way, and the same solution can be sent again', async () => {
    const jobs = env.relais.ctx.jobs;
    const enqueue = jobs.enqueue.bind(jobs);
    const ticketsBefore = await ticketCount();
    const contactsBefore = (await db().select({ n: count() }).from(contacts))[0]!.n;
    const altcha = await solveCaptcha(app());
    const body = { name: 'Hugo Petit', email: 'hugo.petit@exemple.fr', description: 'Écran noir', altcha };
    jobs.enqueue = async () => {
      throw new Error('queue down');
    };
    try {
      expect((await portal(app(), 'POST', '/requests', { body })).status).toBe(500);
    } finally {
      jobs.enqueue = enqueue;
    }
    expect(await ticketCount()).toBe(ticketsBefore);
    expect((await db().select({ n: count() }).from(contacts))[0]!.n).toBe(contactsBefore);
    expect((await portal(app(), 'POST', '/requests', { body })).status).toBe(201);
  });

  it('says where the confirmation went: SMS to a mobile, nothing to a landline', async () => {
    const before = (await queuedNotifications(db())).length;
    const mobile = await newRequest(app(), { name: 'Lucien', phone: freshMobile(), description: 'Mot de passe oublié' });
    expect(mobile.body.sentTo).toBe('sms');
    const landline = await newRequest(app(), { name: 'Odette', phone: '01 45 67 89 12', description: 'Mon ordinateur est lent' });
    expect(landline.body.sentTo).toBeNull();
    const queued = (await queuedNotifications(db())).slice(before);
    expect(queued.map((q) => q.channel)).toEqual(['sms']);
  });
});

describe('the urgent button', () => {
  it('flags a possible cyber emergency for an agent to confirm, tells level 3 and supervisors, and answers with the first instructions', async () => {
    alerts.length = 0;
    const res = await newRequest(app(), { name: 'Marcel Durand', phone: freshMobile(), urgent: true });
    expect(res.body.firstInstructions).toEqual(DEFAULT_FIRST_INSTRUCTIONS);
    const t = (await call(app(), 'GET', `/api/v1/tickets/${res.body.number}`, { auth: env.staff.n3.auth })).body;
    expect(t).toMatchObject({ priority: 'high', tags: ['possible-urgence-cyber'], cyberEmergency: false, level: 1, queue: { slug: 'accueil' } });
    expect(t.description).toMatch(/piratage ou d’une arnaque/);
    const [row] = await db().select({ possibleEmergency: tickets.possibleEmergency }).from(tickets).where(eq(tickets.id, t.id));
    // The field the text triage fills: the button's reason first, the triage's own reasons kept.
    expect(row!.possibleEmergency!.score).toBeGreaterThanOrEqual(1);
    expect(row!.possibleEmergency!.reasons[0]).toMatchObject({ code: 'client_urgent_button', label: expect.stringContaining('bouton') });
    const events = (await call(app(), 'GET', `/api/v1/tickets/${t.id}/events`, { auth: env.staff.n3.auth })).body.items;
    expect(events.map((e: { type: string }) => e.type)).toContain('triage.possible_emergency');
    expect(events.map((e: { type: string }) => e.type)).not.toContain('ticket.cyber_emergency');
    await expect.poll(() => alerts.find((a) => a.ticketId === t.id)).toMatchObject({ kind: 'possible_cyber_emergency', audience: { agentLevel: 3, roles: ['supervisor'] }, number: t.number });
    // The portal shows it as reported, not confirmed.
    const mine = await portal(app(), 'GET', `/requests/${t.number}`, { cookie: res.body.portalToken });
    expect(mine.body).toMatchObject({ possibleEmergency: true, cyberEmergency: false });
  });

  it('reads the first instructions from the settings an admin edits', async () => {
    await call(app(), 'PUT', '/api/v1/settings/first-instructions', { auth: env.staff.admin.auth, body: { items: ['Ne payez rien.', 'Débranchez la box.'] } });
    try {
      const res = await newRequest(app(), { name: 'Léa', email: 'lea@exemple.fr', description: 'On me demande une rançon', urgent: true });
      expect(res.body.firstInstructions).toEqual(['Ne payez rien.', 'Débranchez la box.']);
      expect((await portal(app(), 'GET', '/info')).body.firstInstructions).toEqual(['Ne payez rien.', 'Débranchez la box.']);
    } finally {
      await call(app(), 'PUT', '/api/v1/settings/first-instructions', { auth: env.staff.admin.auth, body: { items: DEFAULT_FIRST_INSTRUCTIONS } });
    }
  });
});

describe('who sees what', () => {
  it('gives a form-filler only the request they made, and the magic link owner all of theirs', async () => {
    const phone = freshMobile();
    const first = await newRequest(app(), { name: 'Simone Vidal', phone, description: 'Première demande' });
    // Someone else types Simone's number: the request lands on her contact (one person, one file)…
    const other = await newRequest(app(), { name: 'Quelqu’un', phone, description: 'Deuxième demande' });
    const list = await portal(app(), 'GET', '/requests', { token: other.body.portalToken });
    // …but that browser sees only what it sent, not Simone's other requests.
    expect(list.body.items.map((i: { number: string }) => i.number)).toEqual([other.body.number]);
    expectPortalError(await portal(app(), 'GET', `/requests/${first.body.number}`, { token: other.body.portalToken }), 404, 'REQUEST_NOT_FOUND');
    expect((await portal(app(), 'GET', '/sessions/current', { token: other.body.portalToken })).body.scope).toBe('requests');

    // A new request from a browser that already follows one of the contact's requests adds to it.
    const third = await newRequest(app(), { name: 'Simone Vidal', phone, description: 'Troisième demande' }, { cookie: other.body.portalToken });
    expect(third.body.portalToken).toBe(other.body.portalToken);
    expect(third.cookies.find((c) => c.name === 'relais_portal')).toBeUndefined();
    const both = await portal(app(), 'GET', '/requests', { token: other.body.portalToken });
    expect(both.body.items.map((i: { number: string }) => i.number)).toEqual([third.body.number, other.body.number]);

    // The link sent to Simone's phone opens everything.
    const link = (await queuedNotifications(db())).filter((q) => q.variables.number === first.body.number)[0]!.variables.link!;
    const session = await portal(app(), 'POST', '/sessions', { body: { token: tokenOfLink(link) } });
    const cookie = session.cookies.find((c) => c.name === 'relais_portal')!.value;
    const all = await portal(app(), 'GET', '/requests', { cookie });
    expect(all.body.items.map((i: { number: string }) => i.number)).toEqual([third.body.number, other.body.number, first.body.number]);
    expect(all.body.items[2]).toMatchObject({ subject: 'Première demande', status: 'new', statusLabel: 'Reçue', step: 1, rated: false });
    expect((await portal(app(), 'GET', '/sessions/current', { cookie })).body).toEqual({ contact: { name: 'Simone Vidal' }, scope: 'all' });
  });

  it('requires a session, accepts it as a bearer token or a cookie, and logs out', async () => {
    expectPortalError(await portal(app(), 'GET', '/requests'), 401, 'PORTAL_AUTH_REQUIRED');
    expectPortalError(await portal(app(), 'GET', '/requests', { cookie: 'rlp_inventé-inventé-inventé-inventé' }), 401, 'PORTAL_AUTH_REQUIRED');
    // A staff token is not a portal session.
    expectPortalError(await portal(app(), 'GET', '/requests', { headers: env.staff.admin.auth }), 401, 'PORTAL_AUTH_REQUIRED');
    const r = await newRequest(app(), { name: 'Yves', email: 'yves@exemple.fr', description: 'Aide' });
    expect((await portal(app(), 'GET', '/requests', { token: r.body.portalToken })).status).toBe(200);
    const out = await portal(app(), 'DELETE', '/sessions/current', { cookie: r.body.portalToken });
    expect(out.status).toBe(204);
    expect(out.cookies.find((c) => c.name === 'relais_portal')).toMatchObject({ value: '' });
    expectPortalError(await portal(app(), 'GET', '/requests', { token: r.body.portalToken }), 401, 'PORTAL_AUTH_REQUIRED');
    expect((await portal(app(), 'DELETE', '/sessions/current')).status).toBe(204);
  });
});

describe('magic links', () => {
  it('always answers 202, and sends a link only to a known email or phone, on its channel', async () => {
    const phone = freshMobile();
    await newRequest(app(), { name: 'Germaine', phone, email: 'germaine@exemple.fr', description: 'Aide' });
    const before = (await queuedNotifications(db())).length;
    for (const body of [{ email: 'inconnu@exemple.fr' }, { phone: '06 99 99 99 98' }]) {
      const res = await portal(app(), 'POST', '/magic-links', { body });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({});
    }
    expect((await queuedNotifications(db())).length).toBe(before);
    expect((await portal(app(), 'POST', '/magic-links', { body: { email: ' GERMAINE@exemple.fr ' } })).status).toBe(202);
    expect((await portal(app(), 'POST', '/magic-links', { body: { phone: phone.replace(/^0/, '+33') } })).status).toBe(202);
    const queued = (await queuedNotifications(db())).slice(before);
    expect(queued.map((q) => [q.template, q.channel])).toEqual([
      ['magic_link', 'email'],
      ['magic_link', 'sms'],
    ]);
    expect(queued[0]!.variables).toMatchObject({ name: 'Germaine', link: expect.stringContaining('/mes-demandes?t=') });
    // Malformed input is a person's typo, said plainly (it reveals nothing about who is known).
    expectPortalError(await portal(app(), 'POST', '/magic-links', { body: { email: 'germaine@' } }), 400, 'VALIDATION_FAILED');
    expectPortalError(await portal(app(), 'POST', '/magic-links', { body: {} }), 400, 'VALIDATION_FAILED');
  });

  it('sends at most 5 links an hour to one email, whoever asks', async () => {
    await newRequest(app(), { name: 'Raymond', email: 'raymond@exemple.fr', description: 'Aide' });
    const before = (await queuedNotifications(db())).length;
    for (let i = 0; i < 7; i++) expect((await portal(app(), 'POST', '/magic-links', { body: { email: 'raymond@exemple.fr' } })).status).toBe(202);
    expect((await queuedNotifications(db())).length - before).toBe(5);
  });

  it('works once, for 7 days; a used, expired or unknown link says how to get a new one', async () => {
    const r = await newRequest(app(), { name: 'Paulette', email: 'paulette@exemple.fr', description: 'Aide' });
    const link = (await queuedNotifications(db())).find((q) => q.variables.number === r.body.number)!.variables.link!;
    const token = tokenOfLink(link);
    const first = await portal(app(), 'POST', '/sessions', { body: { token } });
    expect(first.status).toBe(201);
    const cookie = first.cookies.find((c) => c.name === 'relais_portal')!.value;
    // The same browser clicking again just carries on; another one is refused.
    const again = await portal(app(), 'POST', '/sessions', { body: { token }, cookie });
    expect(again.status).toBe(201);
    expect(again.cookies.find((c) => c.name === 'relais_portal')).toBeUndefined();
    const used = await portal(app(), 'POST', '/sessions', { body: { token } });
    expectPortalError(used, 410, 'LINK_EXPIRED');
    expect(used.body.error.message).toMatch(/déjà servi.*nouveau lien/);

    await portal(app(), 'POST', '/magic-links', { body: { email: 'paulette@exemple.fr' } });
    const fresh = tokenOfLink((await queuedNotifications(db())).filter((q) => q.template === 'magic_link').at(-1)!.variables.link!);
    await db().execute(sql`update portal_magic_links set expires_at = now() - interval '1 second' where used_at is null`);
    const expired = await portal(app(), 'POST', '/sessions', { body: { token: fresh } });
    expectPortalError(expired, 410, 'LINK_EXPIRED');
    expect(expired.body.error.message).toMatch(/7 jours.*nouveau lien/);
    expectPortalError(await portal(app(), 'POST', '/sessions', { body: { token: 'n-importe-quoi' } }), 401, 'LINK_INVALID');
  });
});

describe('rate limits', () => {
  it('limits the public POSTs per client address, counted in PostgreSQL across app nodes', async () => {
    const ip = freshIp();
    const node2 = await env.startNode();
    const send = (a: typeof node2.app) => portal(a, 'POST', '/magic-links', { body: { email: 'personne@exemple.fr' }, ip });
    for (let i = 0; i < 5; i++) expect((await send(i % 2 ? node2.app : app())).status).toBe(202);
    // The 6th hit goes to either node: both see the same count.
    const refused = await send(node2.app);
    expectPortalError(refused, 429, 'TOO_MANY_REQUESTS');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expectPortalError(await send(app()), 429, 'TOO_MANY_REQUESTS');
    // Another address, or another route, is not affected.
    expect((await portal(app(), 'POST', '/magic-links', { body: { email: 'personne@exemple.fr' } })).status).toBe(202);
    expectPortalError(await portal(app(), 'POST', '/sessions', { body: { token: 'x' }, ip }), 401, 'LINK_INVALID');
    // Addresses are not stored in clear.
    const buckets = await db().execute<{ bucket: string }>(sql`select bucket from portal_rate_limits`);
    expect(buckets.rows.some((b) => b.bucket.includes(ip))).toBe(false);
  });
});

describe('GET /info', () => {
  it('gives the numbers, the opening hours and the first instructions', async () => {
    const res = await portal(app(), 'GET', '/info');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ hotlinePhone: '01 23 45 67 89', whatsappNumber: null, hours: { timezone: 'Europe/Paris', queue: 'accueil' } });
    expect(typeof res.body.hours.open).toBe('boolean');
    expect(res.body.hours.label).toMatch(/^(Ouvert|Fermé)/);
    expect(res.body.firstInstructions.length).toBeGreaterThan(3);
  });
});

describe('junk input', () => {
  it('never answers 500 and always names an error code', async () => {
    const r = await newRequest(app(), { name: 'Fuzz', email: 'fuzz@exemple.fr', description: 'Aide' });
    const junk: unknown[] = [null, true, 0, '', 'x'.repeat(5000), [], {}, { token: null }, { token: 'x'.repeat(600) }, { body: {} }, { score: '5' }, { score: 5.5 }, { reason: 3 }, { email: ['a'] }, { name: {}, phone: [] }, { altcha: 42 }, { urgent: 'oui' }];
    const paths = ['/requests', '/magic-links', '/sessions', `/requests/${r.body.number}/messages`, `/requests/${r.body.number}/rating`, `/requests/${r.body.number}/reopen`, '/requests/NUM-1/messages', '/requests/%00/reopen'];
    for (const p of paths) {
      for (const j of junk) {
        const res = await app().inject({ method: 'POST', url: `/api/v1/portal${p}`, headers: { 'content-type': 'application/json', authorization: `Bearer ${r.body.portalToken}` }, payload: JSON.stringify(j), remoteAddress: freshIp() });
        expect(res.statusCode, `${p} ${JSON.stringify(j)?.slice(0, 40)} → ${res.body}`).toBeLessThan(500);
        expect(JSON.parse(res.body).error.code, p).toMatch(/^[A-Z_]+$/);
      }
    }
  });
});
