import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEnv } from '../../../../../test/helpers/app';
import { usingPostgres } from '../../../../../test/helpers/database';
import { call } from '../../../../../test/helpers/http';
import { attachments, messages, ticketEvents } from '../../tickets/ticket.schema';
import { channelMessageDetails } from '../channel.schema';
import { apiMessages, GIF, jpegOfSize, PDF, PNG, postWhatsApp, startChannelTestEnv, uploadFiles, waEnvelope, waText, waTs, type ChannelTestEnv, type Outbox } from '../testing/channel-test-kit';
import type { FakeGraph } from '../testing/fake-graph';
import { until, type FakeServer } from '../testing/fake-server';

const SECRET = 'app-secret-files';
const TOKEN = 'EAAG-files-token';
const PHONE_ID = '106540352242922';
const SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH = 'twilio-auth-files';

const CHANNELS = {
  whatsapp: { secret: SECRET, token: TOKEN, phoneNumberId: PHONE_ID },
  twilio: { sid: SID, authToken: AUTH },
  email: true,
  env: { RELAIS_JOBS: 'true', PUBLIC_URL: 'https://relais.example', RELAIS_MAX_ATTACHMENT_BYTES: String(8 * 1024 * 1024) },
} as const;
let channels: ChannelTestEnv<typeof CHANNELS>;
let env: TestEnv;
let graph: FakeGraph;
let twilio: FakeServer;
let outbox: Outbox;

beforeAll(async () => {
  ({ env, graph, twilio, outbox } = channels = await startChannelTestEnv(CHANNELS));
});
afterAll(() => channels?.close());

/** A client who wrote on WhatsApp just now: their ticket. */
async function whatsappTicket(wa: string, wamid: string) {
  await postWhatsApp(env, SECRET, waText(PHONE_ID, wamid, wa, 'Bonjour, pouvez-vous m’envoyer la procédure ?'));
  const [m] = await until(async () => {
    const rows = await env.relais.ctx.db.select().from(messages).where(eq(messages.providerMessageId, wamid));
    return rows.length ? rows : null;
  }, 25_000, `message ${wamid}`);
  const t = await call(env.relais.app, 'GET', `/api/v1/tickets/${m!.ticketId}`, { auth: env.staff.n1.auth });
  return t.body as { id: string; number: string };
}

const reply = (ref: string, body: string, attachmentIds: string[]) => call(env.relais.app, 'POST', `/api/v1/tickets/${ref}/messages`, { auth: env.staff.n1.auth, body: { body, visibility: 'public', attachmentIds } });
const deliveryOf = async (ref: string, id: string, status: string) => until(async () => (await apiMessages(env, ref)).find((m) => m.id === id && m.delivery?.status === status), 25_000, `${id} ${status}`);

describe(`files with a reply on WhatsApp (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('uploads each file as Meta documents it, sends image then document by media id, and records the delivery', async () => {
    const wa = '33612300001';
    const t = await whatsappTicket(wa, 'wamid.FILES1');
    const up = await uploadFiles(env, env.staff.n1.auth, t.number, [
      { name: 'capture écran.png', bytes: PNG, type: 'image/png' },
      { name: 'procédure.pdf', bytes: PDF, type: 'application/pdf' },
    ]);
    expect(up.status).toBe(201);
    const uploadsBefore = graph.uploads.size;
    const r = await reply(t.number, 'Voici la capture et la procédure.', up.body.items.map((a) => a.id));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.attachments.map((a: { filename: string }) => a.filename)).toEqual(['capture écran.png', 'procédure.pdf']);
    expect(r.body.delivery.status).toBe('pending');

    const delivered = await deliveryOf(t.number, r.body.id, 'sent');
    expect(delivered.attachments.map((a) => a.contentType)).toEqual(['image/png', 'application/pdf']);

    // Two uploads, byte for byte, with their type and name.
    const uploaded = [...graph.uploads.values()].slice(uploadsBefore);
    expect(uploaded.map((u) => [u.mimeType, u.filename, u.bytes.length])).toEqual([
      ['image/png', 'capture écran.png', PNG.length],
      ['application/pdf', 'procédure.pdf', PDF.length],
    ]);
    expect(uploaded[0]!.bytes.equals(PNG)).toBe(true);
    // Then the photo with the text as its caption, and the document with its file name.
    const bodies = graph.sentTo(wa).filter((b) => b.type === 'image' || b.type === 'document');
    expect(bodies).toEqual([
      { messaging_product: 'whatsapp', recipient_type: 'individual', to: wa, type: 'image', image: { id: uploaded[0]!.id, caption: 'Voici la capture et la procédure.' } },
      { messaging_product: 'whatsapp', recipient_type: 'individual', to: wa, type: 'document', document: { id: uploaded[1]!.id, filename: 'procédure.pdf' } },
    ]);
    // No separate text: the caption carried it.
    expect(graph.sentTo(wa).filter((b) => b.type === 'text' && (b.text as { body: string }).body === 'Voici la capture et la procédure.')).toEqual([]);

    // The message carries the last part's id; the parts are written down.
    const [row] = await env.relais.ctx.db.select().from(messages).where(eq(messages.id, r.body.id));
    const lastWamid = graph.sent.find((s) => s.body.type === 'document' && s.body.to === wa)!.wamid;
    expect(row!.providerMessageId).toBe(lastWamid);
    const [details] = await env.relais.ctx.db.select().from(channelMessageDetails).where(eq(channelMessageDetails.messageId, r.body.id));
    expect((details!.data as { parts: { kind: string; wamid: string }[] }).parts.map((p) => p.kind)).toEqual(['image', 'document']);

    // Statuses: the last part's "read" stands for the reply.
    const status = (id: string, s: string, extra: Record<string, unknown> = {}) => waEnvelope(PHONE_ID, { statuses: [{ id, status: s, timestamp: waTs(), recipient_id: wa, ...extra }] });
    await postWhatsApp(env, SECRET, status(lastWamid, 'read'));
    await deliveryOf(t.number, r.body.id, 'read');
  });

  it('fails the whole reply when one of its files is not delivered, naming the file', async () => {
    const wa = '33612300002';
    const t = await whatsappTicket(wa, 'wamid.FILES2');
    const up = await uploadFiles(env, env.staff.n1.auth, t.number, [
      { name: 'photo.png', bytes: PNG },
      { name: 'notice.pdf', bytes: PDF },
    ]);
    const r = await reply(t.number, 'Deux fichiers pour vous.', up.body.items.map((a) => a.id));
    await deliveryOf(t.number, r.body.id, 'sent');
    const firstWamid = graph.sent.find((s) => s.body.type === 'image' && s.body.to === wa)!.wamid;
    await postWhatsApp(env, SECRET, waEnvelope(PHONE_ID, { statuses: [{ id: firstWamid, status: 'failed', timestamp: waTs(), recipient_id: wa, errors: [{ code: 131053, title: 'Media upload error' }] }] }));
    const failed = await deliveryOf(t.number, r.body.id, 'failed');
    expect(failed.delivery!.error).toContain('photo.png');
    expect(failed.delivery!.error).toContain('131053');
    const events = await env.relais.ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, t.id));
    expect(events.some((e) => e.type === 'message.delivery_updated' && (e.data as { status?: string }).status === 'failed')).toBe(true);
  });

  it('sends a long text on its own first, then the file without a caption', async () => {
    const wa = '33612300003';
    const t = await whatsappTicket(wa, 'wamid.FILES3');
    const up = await uploadFiles(env, env.staff.n1.auth, t.number, [{ name: 'guide.pdf', bytes: PDF }]);
    const long = `Voici les étapes. ${'Cliquez sur le bouton, puis attendez. '.repeat(40)}`.trim();
    expect(long.length).toBeGreaterThan(1024);
    const r = await reply(t.number, long, [up.body.items[0]!.id]);
    await deliveryOf(t.number, r.body.id, 'sent');
    const mine = graph.sentTo(wa).filter((b) => b.type === 'text' || b.type === 'document').slice(-2);
    expect(mine.map((b) => b.type)).toEqual(['text', 'document']);
    expect((mine[0]!.text as { body: string }).body).toBe(long);
    expect(mine[1]!.document).toEqual({ id: expect.any(String), filename: 'guide.pdf' });
  });

  it('resumes after a failed send without uploading or sending twice', async () => {
    const wa = '33612300004';
    const t = await whatsappTicket(wa, 'wamid.FILES4');
    const up = await uploadFiles(env, env.staff.n1.auth, t.number, [
      { name: 'a.png', bytes: PNG },
      { name: 'b.pdf', bytes: PDF },
    ]);
    // Meta is down for the second message only, once.
    const original = graph.server.handler;
    let failedOnce = false;
    graph.server.handler = (req, server) => {
      if (!failedOnce && req.path.endsWith('/messages') && (req.json as { type?: string })?.type === 'document' && (req.json as { to?: string }).to === wa) {
        failedOnce = true;
        return { status: 503, body: { error: { message: '(#131016) Service unavailable', code: 131016 } } };
      }
      return original(req, server);
    };
    try {
      const r = await reply(t.number, 'Les deux fichiers.', up.body.items.map((a) => a.id));
      await deliveryOf(t.number, r.body.id, 'sent');
    } finally {
      graph.server.handler = original;
    }
    expect(failedOnce).toBe(true);
    expect(graph.sentTo(wa).filter((b) => b.type === 'image')).toHaveLength(1);
    expect(graph.sentTo(wa).filter((b) => b.type === 'document')).toHaveLength(1);
    const uploadsForThem = graph.server.requests.filter((q) => q.path.endsWith('/media') && q.body.includes(Buffer.from('filename="a.png"')));
    expect(uploadsForThem).toHaveLength(1);
  });

  it('refuses, before anything is sent, a file type WhatsApp does not take, a photo over 5 MB, and files outside the 24-hour window', async () => {
    const wa = '33612300005';
    const t = await whatsappTicket(wa, 'wamid.FILES5');
    const media = () => graph.sentTo(wa).filter((b) => b.type === 'image' || b.type === 'document').length;
    const gif = await uploadFiles(env, env.staff.n1.auth, t.number, [{ name: 'anim.gif', bytes: GIF }]);
    const r1 = await reply(t.number, 'Une animation.', [gif.body.items[0]!.id]);
    expect(r1.status).toBe(422);
    expect(r1.body.error.code).toBe('ATTACHMENT_NOT_SENDABLE');
    expect(r1.body.error.message).toContain('« anim.gif » (image/gif) ne peut pas partir sur WhatsApp');
    // Nothing was written: the file is still free, no reply exists.
    const [file] = await env.relais.ctx.db.select().from(attachments).where(eq(attachments.id, gif.body.items[0]!.id));
    expect(file!.messageId).toBeNull();
    expect((await apiMessages(env, t.number)).filter((m) => m.direction === 'outbound')).toEqual([]);

    const big = await uploadFiles(env, env.staff.n1.auth, t.number, [{ name: 'grande-photo.jpg', bytes: jpegOfSize(5_200_000) }]);
    expect(big.body.items[0]!.contentType).toBe('image/jpeg');
    const r2 = await reply(t.number, 'Une grande photo.', [big.body.items[0]!.id]);
    expect(r2.status).toBe(422);
    expect(r2.body.error.message).toContain('« grande-photo.jpg » fait 5,2 Mo : WhatsApp accepte les photos jusqu’à 5 Mo.');

    // The client last wrote two days ago.
    await env.relais.ctx.db.update(messages).set({ createdAt: new Date(Date.now() - 2 * 86_400_000) }).where(eq(messages.ticketId, t.id));
    const png = await uploadFiles(env, env.staff.n1.auth, t.number, [{ name: 'ok.png', bytes: PNG }]);
    const r3 = await reply(t.number, 'Une photo.', [png.body.items[0]!.id]);
    expect(r3.status).toBe(422);
    expect(r3.body.error.message).toContain('plus de 24 heures');
    expect(media()).toBe(0);
    expect(graph.server.requests.filter((q) => q.path.endsWith('/media') && q.body.includes(Buffer.from('filename="ok.png"')))).toEqual([]);
  });

  it('refuses a file of another ticket, or one already sent', async () => {
    const a = await whatsappTicket('33612300006', 'wamid.FILES6');
    const b = await whatsappTicket('33612300007', 'wamid.FILES7');
    const up = await uploadFiles(env, env.staff.n1.auth, a.number, [{ name: 'x.png', bytes: PNG }]);
    const other = await reply(b.number, 'Mauvais fichier.', [up.body.items[0]!.id]);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('ATTACHMENT_NOT_AVAILABLE');
    expect((await reply(a.number, 'Bon fichier.', [up.body.items[0]!.id])).status).toBe(201);
    const again = await reply(a.number, 'Encore.', [up.body.items[0]!.id]);
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('ATTACHMENT_NOT_AVAILABLE');
  });
});

describe('files with a reply by email and by SMS', () => {
  it('sends them as MIME attachments by email, byte for byte', async () => {
    const created = await call(env.relais.app, 'POST', '/api/v1/tickets', { auth: env.staff.n1.auth, body: { subject: 'Facture illisible', channel: 'email', contact: { name: 'Marc Petit', email: 'marc.petit@example.org' } } });
    expect(created.status).toBe(201);
    const up = await uploadFiles(env, env.staff.n1.auth, created.body.number, [
      { name: 'facture corrigée.pdf', bytes: PDF },
      { name: 'écran.png', bytes: PNG },
    ]);
    const r = await reply(created.body.number, 'Voici la facture corrigée.', up.body.items.map((a) => a.id));
    expect(r.status).toBe(201);
    await deliveryOf(created.body.number, r.body.id, 'sent');
    const mail = await until(async () => outbox.mails.find((m) => m.text?.includes('Voici la facture corrigée.')), 25_000, 'mail');
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['facture corrigée.pdf', 'application/pdf'],
      ['écran.png', 'image/png'],
    ]);
    expect(mail.attachments[0]!.content.equals(PDF)).toBe(true);
    expect(mail.attachments[1]!.content.equals(PNG)).toBe(true);
  });

  it('by SMS, sends the text with a link to see the files instead', async () => {
    const created = await call(env.relais.app, 'POST', '/api/v1/tickets', { auth: env.staff.n1.auth, body: { subject: 'Code wifi', channel: 'sms', contact: { name: 'Léa Roux', phone: '06 45 00 11 22' } } });
    const up = await uploadFiles(env, env.staff.n1.auth, created.body.number, [{ name: 'box.png', bytes: PNG }]);
    const r = await reply(created.body.number, 'Voici la photo de votre box.', [up.body.items[0]!.id]);
    expect(r.status).toBe(201);
    await deliveryOf(created.body.number, r.body.id, 'sent');
    const sms = twilio.requests.map((q) => q.form).find((f) => f?.get('Body')?.startsWith('Voici la photo de votre box.'));
    expect(sms!.get('To')).toBe('+33645001122');
    expect(sms!.get('Body')).toBe('Voici la photo de votre box.\n\nVotre conseiller vous a envoyé un fichier. Pour le voir : https://relais.example/mes-demandes');
  });
});
