import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../../../test/helpers/app';
import { call } from '../../../../../test/helpers/http';
import { messages } from '../../tickets/ticket.schema';
import { channelInbox, channelMessageDetails } from '../channel.schema';
import { runtimeOf } from '../runtime';
import { until } from '../testing/fake-server';

/** The outside world: a mail server that receives what Relais sends (as a smarthost would). */
interface Outbox {
  port: number;
  mails: (ParsedMail & { envelopeTo: string[] })[];
  close(): Promise<void>;
}

async function startOutbox(): Promise<Outbox> {
  const mails: Outbox['mails'] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      simpleParser(stream).then(
        (m) => {
          mails.push(Object.assign(m, { envelopeTo: session.envelope.rcptTo.map((r) => r.address) }));
          cb();
        },
        (err: Error) => cb(err),
      );
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.server.address() as AddressInfo).port, mails, close: () => new Promise((r) => server.close(() => r())) };
}

let env: TestEnv;
let outbox: Outbox;
let inbound: ReturnType<typeof nodemailer.createTransport>;

beforeAll(async () => {
  outbox = await startOutbox();
  env = await startTestEnv({
    RELAIS_JOBS: 'true',
    PUBLIC_URL: 'https://relais.example',
    EMAIL_FROM: 'Hotline Numi <support@numi.test>',
    SMTP_URL: `smtp://127.0.0.1:${outbox.port}`,
    SMTP_INBOUND_PORT: '0',
    EMAIL_MAX_BYTES: String(200 * 1024),
  });
  const port = runtimeOf(env.relais.ctx).smtpPort!;
  // The client's mail server delivering to our SMTP receiver.
  inbound = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
});
afterAll(async () => {
  inbound?.close();
  await env?.close();
  await outbox?.close();
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f60000000049454e44ae426082', 'hex');

async function ticketByMessageId(messageId: string) {
  const [m] = await until(async () => {
    const rows = await env.relais.ctx.db.select().from(messages).where(eq(messages.providerMessageId, messageId));
    return rows.length ? rows : null;
  }, 25_000, `message ${messageId}`);
  return (await call(env.relais.app, 'GET', `/api/v1/tickets/${m!.ticketId}`, { auth: env.staff.n1.auth })).body as { id: string; number: string; subject: string; status: string; channel: string; contact: { emails: string[]; name: string } };
}
const apiMessages = async (ref: string) =>
  (await call(env.relais.app, 'GET', `/api/v1/tickets/${ref}/messages`, { auth: env.staff.n1.auth })).body.items as { id: string; body: string; direction: string | null; delivery: { status: string } | null }[];
const mailTo = (address: string, pred: (m: ParsedMail) => boolean = () => true) => until(async () => outbox.mails.find((m) => m.envelopeTo.includes(address) && pred(m)), 25_000, `mail to ${address}`);

describe('email in and out over real SMTP on loopback', () => {
  let first: { id: string; number: string };
  let confirmation: ParsedMail;

  it('turns a new email (encoded subject, RFC 2231 file name, inline image) into a ticket and confirms it by email', async () => {
    const info = await inbound.sendMail({
      from: '"Josette Lefèvre" <josette.lefevre@exemple.fr>',
      to: 'support@numi.test',
      subject: 'Problème de connexion à ma boîte mail — « urgent »',
      messageId: '<premier-message@exemple.fr>',
      text: 'Bonjour,\n\nJe n’arrive plus à me connecter depuis hier soir.\n\nCordialement,\nJosette',
      html: '<p>Bonjour,</p><p>Je n’arrive plus à me connecter depuis hier soir.</p><img src="cid:capture@exemple"><p>Cordialement,<br>Josette</p>',
      attachments: [
        { filename: 'facture été 2025 – détail.pdf', content: PDF, contentType: 'application/pdf' },
        { filename: 'capture.png', content: PNG, cid: 'capture@exemple' },
      ],
    });
    expect(info.accepted).toEqual(['support@numi.test']);
    const t = await ticketByMessageId('<premier-message@exemple.fr>');
    first = t;
    expect(t).toMatchObject({ channel: 'email', subject: 'Problème de connexion à ma boîte mail — « urgent »', contact: { emails: ['josette.lefevre@exemple.fr'], name: 'Josette Lefèvre' } });
    const [msg] = await apiMessages(t.id);
    expect(msg!.body).toBe('Bonjour,\n\nJe n’arrive plus à me connecter depuis hier soir.');
    const files = (await call(env.relais.app, 'GET', `/api/v1/tickets/${t.id}/attachments`, { auth: env.staff.n1.auth })).body.items as { filename: string; contentType: string }[];
    expect(files.map((f) => [f.filename, f.contentType]).sort()).toEqual([
      ['capture.png', 'image/png'],
      ['facture été 2025 – détail.pdf', 'application/pdf'],
    ]);

    confirmation = await mailTo('josette.lefevre@exemple.fr');
    expect(confirmation.subject).toContain(t.number);
    expect(confirmation.messageId).toMatch(/@numi\.test>$/);
    expect(confirmation.inReplyTo).toBe('<premier-message@exemple.fr>');
    expect(confirmation.headers.get('auto-submitted')).toBe('auto-generated');
    const replyTo = (confirmation.replyTo?.value[0]?.address ?? '') as string;
    expect(replyTo).toMatch(/^support\+[A-Za-z0-9_-]{16}@numi\.test$/);
    expect(confirmation.text).toContain(t.number);
    expect(confirmation.html).toMatch(/<a href="https:\/\/relais\.example\/mes-demandes\?t=[A-Za-z0-9_-]{32}">/);
  });

  it('threads a Gmail reply (French quote header) into the ticket and strips the quote', async () => {
    const replyTo = confirmation.replyTo!.value[0]!.address!;
    await inbound.sendMail({
      from: 'josette.lefevre@exemple.fr',
      to: replyTo,
      subject: `Re: ${confirmation.subject}`,
      messageId: '<reponse-gmail@exemple.fr>',
      inReplyTo: confirmation.messageId,
      references: [confirmation.messageId!],
      text: `Voici le message d’erreur : mot de passe refusé.\n\nLe lun. 3 mars 2025 à 10:02, Hotline Numi <support@numi.test> a écrit :\n> Bonjour Josette Lefèvre,\n> Nous avons bien reçu votre demande.\n`,
    });
    const t = await ticketByMessageId('<reponse-gmail@exemple.fr>');
    expect(t.id).toBe(first.id);
    const bodies = (await apiMessages(t.id)).map((m) => m.body);
    expect(bodies).toContain('Voici le message d’erreur : mot de passe refusé.');
    const [details] = await env.relais.ctx.db.select().from(channelMessageDetails).innerJoin(messages, eq(messages.id, channelMessageDetails.messageId)).where(eq(messages.providerMessageId, '<reponse-gmail@exemple.fr>'));
    // The full original stays available.
    expect(details!.channel_message_details.fullText).toContain('a écrit :');
  });

  it('threads an Outlook reply that only kept the ticket number in the subject, for the same client only', async () => {
    await inbound.sendMail({
      from: 'Josette Lefèvre <josette.lefevre@exemple.fr>',
      to: 'support@numi.test',
      subject: `RE: votre demande ${first.number}`,
      messageId: '<reponse-outlook@exemple.fr>',
      text: `C’est bon, ça remarche !\n\nDe : Hotline Numi <support@numi.test>\nEnvoyé : lundi 3 mars 2025 10:02\nÀ : josette.lefevre@exemple.fr\nObjet : Votre demande ${first.number}\n\nBonjour,`,
    });
    const t = await ticketByMessageId('<reponse-outlook@exemple.fr>');
    expect(t.id).toBe(first.id);
    expect((await apiMessages(t.id)).map((m) => m.body)).toContain('C’est bon, ça remarche !');

    // Someone else cannot post into that ticket by quoting its (guessable) number.
    await inbound.sendMail({ from: 'intrus@ailleurs.fr', to: 'support@numi.test', subject: `Re: ${first.number}`, messageId: '<intrus@ailleurs.fr>', text: 'Bonjour' });
    const other = await ticketByMessageId('<intrus@ailleurs.fr>');
    expect(other.id).not.toBe(first.id);
  });

  it('threads an iPhone reply to the reply address even without In-Reply-To', async () => {
    const replyTo = confirmation.replyTo!.value[0]!.address!;
    await inbound.sendMail({
      from: 'josette.lefevre@exemple.fr',
      to: replyTo,
      subject: 'Re: ma demande',
      messageId: '<reponse-iphone@exemple.fr>',
      text: 'Merci beaucoup\n\nEnvoyé de mon iPhone\n\n> Le 3 mars 2025 à 10:02, Hotline Numi <support@numi.test> a écrit :\n>\n> Bonjour',
    });
    const t = await ticketByMessageId('<reponse-iphone@exemple.fr>');
    expect(t.id).toBe(first.id);
    expect((await apiMessages(t.id)).map((m) => m.body)).toContain('Merci beaucoup');
  });

  it('sends a public reply from the console as an email threaded on the client’s last message', async () => {
    const res = await call(env.relais.app, 'POST', `/api/v1/tickets/${first.id}/messages`, { auth: env.staff.n1.auth, body: { body: 'Parfait, je clôture la demande.', visibility: 'public' }, headers: {} });
    expect(res.status).toBe(201);
    const mail = await mailTo('josette.lefevre@exemple.fr', (m) => (m.text ?? '').includes('Parfait, je clôture la demande.'));
    expect(mail.inReplyTo).toBe('<reponse-iphone@exemple.fr>');
    const refs = Array.isArray(mail.references) ? mail.references : [mail.references];
    expect(refs).toEqual(expect.arrayContaining(['<premier-message@exemple.fr>', '<reponse-gmail@exemple.fr>']));
    expect(mail.subject).toContain(`[${first.number}]`);
    expect(mail.html).toContain('Parfait, je clôture la demande.');
    expect(mail.from?.value[0]).toMatchObject({ address: 'support@numi.test', name: 'Hotline Numi' });
    expect(mail.headers.get('auto-submitted')).toBeUndefined();
    const m = await until(async () => (await apiMessages(first.id)).find((x) => x.id === res.body.id && x.delivery?.status === 'sent'));
    expect(m.direction).toBe('outbound');
    const [row] = await env.relais.ctx.db.select().from(messages).where(eq(messages.id, res.body.id));
    expect(row!.providerMessageId).toBe(mail.messageId);
  });

  it('ignores auto-replies and our own mail coming back, and never makes a ticket of them', async () => {
    const before = await env.relais.ctx.db.select().from(messages);
    await inbound.sendMail({ from: 'josette.lefevre@exemple.fr', to: 'support@numi.test', subject: 'Réponse automatique : absente', messageId: '<ooo@exemple.fr>', headers: { 'Auto-Submitted': 'auto-replied' }, text: 'Je suis absente.' });
    await inbound.sendMail({ from: 'robot@exemple.fr', to: 'support@numi.test', subject: 'Promo', messageId: '<bulk@exemple.fr>', headers: { Precedence: 'bulk' }, text: 'Promo' });
    await inbound.sendMail({ from: 'support@numi.test', to: 'support@numi.test', subject: 'Boucle', messageId: '<boucle@numi.test>', text: 'Boucle' });
    const states = await until(async () => {
      const rows = await env.relais.ctx.db.select({ key: channelInbox.dedupeKey, state: channelInbox.state, result: channelInbox.result }).from(channelInbox);
      const mine = rows.filter((r) => ['<ooo@exemple.fr>', '<bulk@exemple.fr>', '<boucle@numi.test>'].includes(r.key));
      return mine.length === 3 && mine.every((r) => r.state !== 'pending') ? mine : null;
    });
    expect(states.every((s) => s.state === 'ignored')).toBe(true);
    expect(states.find((s) => s.key === '<boucle@numi.test>')!.result).toMatchObject({ reason: 'loop' });
    expect((await env.relais.ctx.db.select().from(messages)).length).toBe(before.length);
  });

  it('stores a mail delivered twice once', async () => {
    const mail = { from: 'paul@exemple.fr', to: 'support@numi.test', subject: 'Imprimante', messageId: '<deux-fois@exemple.fr>', text: 'Mon imprimante est bloquée.' };
    await inbound.sendMail(mail);
    await inbound.sendMail(mail);
    await ticketByMessageId('<deux-fois@exemple.fr>');
    await new Promise((r) => setTimeout(r, 300));
    expect(await env.relais.ctx.db.select().from(messages).where(eq(messages.providerMessageId, '<deux-fois@exemple.fr>'))).toHaveLength(1);
  });

  it('refuses mail for other domains (not a relay) and mail over the size limit', async () => {
    await expect(inbound.sendMail({ from: 'a@exemple.fr', to: 'quelquun@autre-domaine.fr', subject: 'x', text: 'x' })).rejects.toMatchObject({ responseCode: 550 });
    await expect(inbound.sendMail({ from: 'a@exemple.fr', to: 'support@numi.test', subject: 'gros', text: 'x', attachments: [{ filename: 'gros.pdf', content: Buffer.alloc(300 * 1024, 65) }] })).rejects.toMatchObject({ responseCode: 552 });
  });
});
