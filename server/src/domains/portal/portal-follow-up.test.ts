import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../../test/helpers/app';
import { call } from '../../../../test/helpers/http';
import { expectPortalError, freshMobile, newRequest, portal, PORTAL_TEST_ENV, type PortalCall } from './portal-test-kit';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv({ ...PORTAL_TEST_ENV, RELAIS_MAX_ATTACHMENT_BYTES: String(64 * 1024) });
});
afterAll(async () => env?.close());

const app = () => env.relais.app;
const staff = (method: string, url: string, body?: unknown, who: keyof TestEnv['staff'] = 'n1') => call(app(), method, `/api/v1/tickets/${url}`, { auth: env.staff[who].auth, body });

// A real 1×1 PNG, a minimal PDF header, and a Windows executable.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]);

function multipart(files: { name: string; bytes: Buffer; type?: string }[]) {
  const boundary = '----portail' + Math.random().toString(16).slice(2);
  const parts = files.map((f) =>
    Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'image/png'}\r\n\r\n`), f.bytes, Buffer.from('\r\n')]),
  );
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
const upload = (number: string, token: string, files: { name: string; bytes: Buffer; type?: string }[]) => {
  const { payload, headers } = multipart(files);
  return portal(app(), 'POST', `/requests/${number}/attachments`, { token, payload, headers });
};

async function request(extra: Record<string, unknown> = {}) {
  const res = await newRequest(app(), { name: 'Colette Bernard', phone: freshMobile(), description: 'Mon ordinateur affiche un message bizarre.', ...extra });
  return { number: res.body.number as string, token: res.body.portalToken as string };
}
const detail = (r: { number: string; token: string }) => portal(app(), 'GET', `/requests/${r.number}`, { token: r.token });
const setStatus = (number: string, status: string) => staff('POST', `${number}/status`, { status });

describe('a request seen by its client', () => {
  it('shows the 4 steps, the verification code and plain-French status as the request moves', async () => {
    const r = await request();
    let d: PortalCall = await detail(r);
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ number: r.number, status: 'new', statusLabel: 'Reçue', step: 1, canReply: true, canRate: false, canReopen: false, rating: null, cyberEmergency: false, possibleEmergency: false });
    expect(d.body.steps).toEqual([
      { key: 'contact', label: 'Demande reçue', done: false, current: true },
      { key: 'qualification', label: 'Demande étudiée', done: false, current: false },
      { key: 'follow_up', label: 'Suivi par un conseiller', done: false, current: false },
      { key: 'resolution', label: 'Problème résolu', done: false, current: false },
    ]);
    const staffView = await staff('GET', r.number);
    expect(d.body.verificationCode).toBe(staffView.body.verificationCode);

    await staff('POST', `${r.number}/qualify`, { category: 'virus' });
    d = await detail(r);
    expect(d.body).toMatchObject({ status: 'open', step: 2, statusLabel: 'Prise en charge' });
    await setStatus(r.number, 'waiting_on_contact');
    d = await detail(r);
    expect(d.body).toMatchObject({ step: 3, statusLabel: 'En attente de votre réponse' });
    expect(d.body.steps.map((s: { done: boolean }) => s.done)).toEqual([true, true, false, false]);
    await setStatus(r.number, 'resolved');
    d = await detail(r);
    expect(d.body).toMatchObject({ step: 4, statusLabel: 'Résolue', canReply: false, canRate: true, canReopen: true });
    expect(d.body.steps.every((s: { done: boolean }) => s.done)).toBe(true);
  });

  it('says when an adviser first answered, also by a phone call with no written reply', async () => {
    const r = await request();
    expect((await detail(r)).body.answeredAt).toBeNull();
    const endedAt = new Date(Date.now() - 60_000);
    const recorded = await staff('POST', `${r.number}/calls`, { direction: 'outbound', startedAt: new Date(endedAt.getTime() - 180_000).toISOString(), endedAt: endedAt.toISOString() });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    const d = await detail(r);
    expect(d.body.messages).toEqual([]);
    const staffView = await staff('GET', r.number);
    expect(staffView.body.sla.firstRespondedAt).not.toBeNull();
    expect(d.body.answeredAt).toBe(staffView.body.sla.firstRespondedAt);
    expect(Date.parse(d.body.answeredAt)).toBeGreaterThan(Date.now() - 10 * 60_000);
  });

  it('shows only public messages and the files that go with them: never notes, note files, or staff emails', async () => {
    const r = await request();
    await staff('POST', `${r.number}/messages`, { body: 'Bonjour, pouvez-vous redémarrer ?', visibility: 'public' });
    await staff('POST', `${r.number}/messages`, { body: 'NOTE INTERNE : client fragile, vérifier le RIB', visibility: 'internal' });
    const { payload, headers } = multipart([{ name: 'journal-interne.png', bytes: PNG }]);
    const staffFile = await app().inject({ method: 'POST', url: `/api/v1/tickets/${r.number}/attachments`, payload, headers: { ...headers, ...env.staff.n1.auth } });
    expect(staffFile.statusCode).toBe(201);
    const mine = await upload(r.number, r.token, [{ name: 'écran.png', bytes: PNG }]);
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    await portal(app(), 'POST', `/requests/${r.number}/messages`, { token: r.token, body: { body: 'C’est fait, ça ne marche pas.' } });

    const d = await detail(r);
    expect(d.body.messages.map((m: { from: string; body: string; authorName: string }) => [m.from, m.authorName, m.body])).toEqual([
      ['adviser', 'agent', 'Bonjour, pouvez-vous redémarrer ?'],
      ['me', 'Colette Bernard', 'C’est fait, ça ne marche pas.'],
    ]);
    expect(d.body.attachments).toEqual([{ id: mine.body.items[0].id, filename: 'écran.png', contentType: 'image/png', sizeBytes: PNG.length }]);
    const text = JSON.stringify(d.body);
    expect(text).not.toContain('NOTE INTERNE');
    expect(text).not.toContain('journal-interne');
    expect(text).not.toContain(env.staff.n1.email);
    expect(text).not.toContain(env.staff.n1.id);
    // Not even by guessing its id.
    const hidden = JSON.parse(staffFile.body).items[0].id;
    expectPortalError(await portal(app(), 'GET', `/requests/${r.number}/attachments/${hidden}`, { token: r.token }), 404, 'ATTACHMENT_NOT_FOUND');
  });

  it('hides other people’s requests and files behind the same 404 as a missing one', async () => {
    const a = await request();
    const b = await request();
    const file = await upload(a.number, a.token, [{ name: 'photo.png', bytes: PNG }]);
    expectPortalError(await detail({ number: a.number, token: b.token }), 404, 'REQUEST_NOT_FOUND');
    expectPortalError(await detail({ number: 'NUM-99999999', token: b.token }), 404, 'REQUEST_NOT_FOUND');
    expectPortalError(await detail({ number: 'pas-un-numero', token: b.token }), 404, 'REQUEST_NOT_FOUND');
    expectPortalError(await portal(app(), 'GET', `/requests/${a.number}/attachments/${file.body.items[0].id}`, { token: b.token }), 404, 'REQUEST_NOT_FOUND');
    expectPortalError(await portal(app(), 'POST', `/requests/${a.number}/messages`, { token: b.token, body: { body: 'intrus' } }), 404, 'REQUEST_NOT_FOUND');
    expectPortalError(await upload(a.number, b.token, [{ name: 'x.png', bytes: PNG }]), 404, 'REQUEST_NOT_FOUND');
    expectPortalError(await portal(app(), 'POST', `/requests/${a.number}/rating`, { token: b.token, body: { score: 1 } }), 404, 'REQUEST_NOT_FOUND');
    expectPortalError(await portal(app(), 'POST', `/requests/${a.number}/reopen`, { token: b.token, body: { reason: 'x' } }), 404, 'REQUEST_NOT_FOUND');
    // The number is read the way it is said on the phone, in any case.
    expect((await detail({ number: a.number.toLowerCase(), token: a.token })).status).toBe(200);
  });
});

describe('replies', () => {
  it('adds the client’s message and puts a request waiting on them back in progress', async () => {
    const r = await request();
    await staff('POST', `${r.number}/qualify`, { priority: 'normal', category: 'internet' });
    await setStatus(r.number, 'waiting_on_contact');
    const res = await portal(app(), 'POST', `/requests/${r.number}/messages`, { token: r.token, body: { body: '  Voici le code d’erreur : 0x80070005  ' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ from: 'me', authorName: 'Colette Bernard', body: 'Voici le code d’erreur : 0x80070005', attachments: [] });
    const t = await staff('GET', r.number);
    expect(t.body.status).toBe('in_progress');
    const msgs = await staff('GET', `${r.number}/messages`);
    expect(msgs.body.items.at(-1)).toMatchObject({ visibility: 'public', channel: 'web', author: { kind: 'contact' }, body: 'Voici le code d’erreur : 0x80070005' });
    const events = (await staff('GET', `${r.number}/events`)).body.items;
    expect(events.at(-2)).toMatchObject({ type: 'message.added', actor: { kind: 'contact', id: t.body.contactId } });
    expect(events.at(-1)).toMatchObject({ type: 'ticket.status_changed', actor: { kind: 'contact' }, data: { from: 'waiting_on_contact', to: 'in_progress' } });
    // While in progress, a reply changes nothing but the conversation.
    await portal(app(), 'POST', `/requests/${r.number}/messages`, { token: r.token, body: { body: 'Autre chose' } });
    expect((await staff('GET', r.number)).body.status).toBe('in_progress');
    expectPortalError(await portal(app(), 'POST', `/requests/${r.number}/messages`, { token: r.token, body: { body: '   ' } }), 400, 'VALIDATION_FAILED');
  });

  it('refuses a reply to a resolved request, pointing to « Ce n’est pas résolu », and to a closed one', async () => {
    const r = await request();
    await setStatus(r.number, 'resolved');
    const res = await portal(app(), 'POST', `/requests/${r.number}/messages`, { token: r.token, body: { body: 'Ça remarche pas' } });
    expectPortalError(res, 409, 'REQUEST_RESOLVED');
    expect(res.body.error.message).toContain('« Ce n’est pas résolu »');
    expectPortalError(await upload(r.number, r.token, [{ name: 'p.png', bytes: PNG }]), 409, 'REQUEST_RESOLVED');
    await setStatus(r.number, 'closed');
    expectPortalError(await portal(app(), 'POST', `/requests/${r.number}/messages`, { token: r.token, body: { body: 'Allô ?' } }), 409, 'REQUEST_CLOSED');
    const msgs = await staff('GET', `${r.number}/messages`);
    expect(msgs.body.items).toHaveLength(0);
  });
});

describe('rating and reopening', () => {
  it('takes one rating once the request is resolved', async () => {
    const r = await request();
    expectPortalError(await portal(app(), 'POST', `/requests/${r.number}/rating`, { token: r.token, body: { score: 5 } }), 409, 'RATING_NOT_ALLOWED');
    await setStatus(r.number, 'resolved');
    expectPortalError(await portal(app(), 'POST', `/requests/${r.number}/rating`, { token: r.token, body: { score: 6 } }), 400, 'VALIDATION_FAILED');
    expectPortalError(await portal(app(), 'POST', `/requests/${r.number}/rating`, { token: r.token, body: { score: 0 } }), 400, 'VALIDATION_FAILED');
    const ok = await portal(app(), 'POST', `/requests/${r.number}/rating`, { token: r.token, body: { score: 4, comment: ' Très patient, merci ' } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toEqual({ score: 4, comment: 'Très patient, merci' });
    expectPortalError(await portal(app(), 'POST', `/requests/${r.number}/rating`, { token: r.token, body: { score: 1 } }), 409, 'ALREADY_RATED');
    const d = await detail(r);
    expect(d.body).toMatchObject({ canRate: false, rating: { score: 4, comment: 'Très patient, merci' } });
    const list = await portal(app(), 'GET', '/requests', { token: r.token });
    expect(list.body.items[0]).toMatchObject({ number: r.number, rated: true });
    const events = (await staff('GET', `${r.number}/events`)).body.items;
    expect(events.at(-1)).toMatchObject({ type: 'rating.added', actor: { kind: 'contact' }, data: { score: 4, comment: 'Très patient, merci' } });
    // Closed requests can be rated too; without a comment it is null.
    const c = await request();
    await setStatus(c.number, 'resolved');
    await setStatus(c.number, 'closed');
    const closed = await portal(app(), 'POST', `/requests/${c.number}/rating`, { token: c.token, body: { score: 2 } });
    expect(closed.body).toEqual({ score: 2, comment: null });
  });

  it('reopens a resolved request with the client’s reason, and only a resolved one', async () => {
    const r = await request();
    expectPortalError(await portal(app(), 'POST', `/requests/${r.number}/reopen`, { token: r.token, body: { reason: 'Toujours en panne' } }), 409, 'REQUEST_NOT_RESOLVED');
    await setStatus(r.number, 'resolved');
    expectPortalError(await portal(app(), 'POST', `/requests/${r.number}/reopen`, { token: r.token, body: { reason: ' ' } }), 400, 'VALIDATION_FAILED');
    const res = await portal(app(), 'POST', `/requests/${r.number}/reopen`, { token: r.token, body: { reason: 'L’imprimante ne marche toujours pas.' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ number: r.number, status: 'open', step: 2, canReply: true, canReopen: false });
    expect(res.body.messages.at(-1)).toMatchObject({ from: 'me', body: 'L’imprimante ne marche toujours pas.' });
    const events = (await staff('GET', `${r.number}/events`)).body.items;
    expect(events.at(-1)).toMatchObject({ type: 'ticket.status_changed', actor: { kind: 'contact' }, data: { from: 'resolved', to: 'open', reason: 'L’imprimante ne marche toujours pas.', reopened: true } });
    await setStatus(r.number, 'resolved');
    await setStatus(r.number, 'closed');
    expectPortalError(await portal(app(), 'POST', `/requests/${r.number}/reopen`, { token: r.token, body: { reason: 'Encore' } }), 409, 'REQUEST_CLOSED');
  });
});

describe('attachments from the portal', () => {
  it('takes photos and PDFs, sniffs their type, and serves them back to their owner only', async () => {
    const r = await request();
    const res = await upload(r.number, r.token, [
      { name: 'C:\\Users\\colette\\capture.png', bytes: PNG, type: 'application/octet-stream' },
      { name: 'facture.pdf', bytes: PDF, type: 'application/pdf' },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.items.map((i: { filename: string; contentType: string }) => [i.filename, i.contentType])).toEqual([
      ['capture.png', 'image/png'],
      ['facture.pdf', 'application/pdf'],
    ]);
    const img = await portal(app(), 'GET', `/requests/${r.number}/attachments/${res.body.items[0].id}`, { token: r.token });
    expect(img.status).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect(img.headers['content-disposition']).toMatch(/^inline;/);
    expect(img.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(img.raw, PNG)).toBe(0);
    const pdf = await portal(app(), 'GET', `/requests/${r.number}/attachments/${res.body.items[1].id}`, { token: r.token });
    expect(pdf.headers['content-disposition']).toMatch(/^attachment;/);
    // The desk sees them, uploaded by the contact.
    const events = (await staff('GET', `${r.number}/events`)).body.items;
    expect(events.at(-1)).toMatchObject({ type: 'attachment.added', actor: { kind: 'contact' } });
    expect((await staff('GET', `${r.number}/attachments`)).body.items).toHaveLength(2);
  });

  it('refuses programs, empty and oversized files, keeping none of the batch, and needs a session', async () => {
    const r = await request();
    const refused = await upload(r.number, r.token, [
      { name: 'ok.png', bytes: PNG },
      { name: 'photo.png', bytes: EXE },
    ]);
    expectPortalError(refused, 422, 'ATTACHMENT_TYPE_REFUSED');
    expect(refused.body.error.message).toMatch(/photo, une capture d’écran ou un PDF/);
    // Plain text is fine for the desk but not what the portal asks for.
    expectPortalError(await upload(r.number, r.token, [{ name: 'notes.txt', bytes: Buffer.from('bonjour'), type: 'text/plain' }]), 422, 'ATTACHMENT_TYPE_REFUSED');
    expectPortalError(await upload(r.number, r.token, [{ name: 'vide.png', bytes: Buffer.alloc(0) }]), 400, 'ATTACHMENT_EMPTY');
    expectPortalError(await upload(r.number, r.token, [{ name: 'gros.png', bytes: Buffer.concat([PNG, Buffer.alloc(70 * 1024)]) }]), 413, 'ATTACHMENT_TOO_LARGE');
    expect((await detail(r)).body.attachments).toEqual([]);
    expect((await staff('GET', `${r.number}/attachments`)).body.items).toEqual([]);
    const { payload, headers } = multipart([{ name: 'ok.png', bytes: PNG }]);
    expectPortalError(await portal(app(), 'POST', `/requests/${r.number}/attachments`, { payload, headers }), 401, 'PORTAL_AUTH_REQUIRED');
    expectPortalError(await portal(app(), 'POST', `/requests/${r.number}/attachments`, { token: r.token, body: { file: 'x' } }), 400, 'MULTIPART_REQUIRED');
  });
});
