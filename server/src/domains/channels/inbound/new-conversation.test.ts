import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEnv } from '../../../../../test/helpers/app';
import type { RelaisApp } from '../../../app';
import { contactIdentities, contacts } from '../../contacts/contact.schema';
import { portalMagicLinks } from '../../portal/portal.schema';
import { messages, ticketEvents, tickets } from '../../tickets/ticket.schema';
import { channelInbox, channelMessageDetails, contactNotifications } from '../channel.schema';
import { postWhatsApp, startChannelTestEnv, waText } from '../testing/channel-test-kit';
import { countStatements, inMeasure } from '../testing/count-statements';
import type { FakeGraph } from '../testing/fake-graph';
import { until } from '../testing/fake-server';
import type { NotifyContactPayload } from '../../../platform/contact-notifications';
import { deliverNotification } from '../outbound/delivery';
import { receiveInbound } from './intake';

/**
 * The first message of someone nobody knows: contact, ticket, message and confirmation in one
 * statement (new-conversation.ts), with the guarantees of the channel intake's transaction.
 */
const SECRET = 'new-conversation-secret';
const TOKEN = 'new-conversation-token';
const PHONE_ID = '106540352242988';
let env: TestEnv;
let graph: FakeGraph;
let channels: { close(): Promise<void> } | undefined;
let nodeB: RelaisApp | undefined;

beforeAll(async () => {
  const started = await startChannelTestEnv({ whatsapp: { secret: SECRET, token: TOKEN, phoneNumberId: PHONE_ID }, env: { RELAIS_JOBS: 'true', PUBLIC_URL: 'https://relais.example' } });
  channels = started;
  env = started.env;
  graph = started.graph;
});
afterAll(async () => {
  await channels?.close();
});

const db = () => env.relais.ctx.db;
const whatsapp = (id: string, wa: string, text: string, name = 'Odette Lambert') => ({ channel: 'whatsapp' as const, providerMessageId: id, from: { whatsappId: wa, name }, text });
const contactsWith = (value: string) => db().selectDistinct({ id: contactIdentities.contactId }).from(contactIdentities).where(eq(contactIdentities.value, value));

describe('first message of someone unknown', () => {
  it('starts the conversation in one statement: contact, ticket, message, events, delivery closed, confirmation with its magic link', async () => {
    // Warm: the statements are prepared once per connection, as on a node that has been running.
    await receiveInbound(env.relais.ctx, whatsapp('wamid.NEW.WARM', '33612880000', 'Bonjour'));

    const counter = countStatements(env.relais.ctx.database);
    let result;
    try {
      result = await inMeasure(() => receiveInbound(env.relais.ctx, { ...whatsapp('wamid.NEW.1', '33612880001', 'Mon imprimante ne veut plus imprimer'), details: { kind: 'text', sender: '33612880001', data: { providerType: 'text' } } }));
    } finally {
      counter.stop();
    }
    // The thread attempt that finds nobody, then the statement.
    expect(counter.count()).toBe(2);
    expect(result.outcome).toBe('created');

    const [contact] = await db().select().from(contacts).where(eq(contacts.id, result.contactId));
    expect(contact).toMatchObject({ name: 'Odette Lambert', preferredChannel: 'whatsapp' });
    expect(await db().select({ kind: contactIdentities.kind, value: contactIdentities.value }).from(contactIdentities).where(eq(contactIdentities.contactId, result.contactId))).toEqual([{ kind: 'whatsapp', value: '+33612880001' }]);
    const [ticket] = await db().select().from(tickets).where(eq(tickets.id, result.ticketId));
    expect(ticket).toMatchObject({ contactId: result.contactId, channel: 'whatsapp', subject: 'Mon imprimante ne veut plus imprimer', number: result.ticketNumber });
    const [message] = await db().select().from(messages).where(eq(messages.id, result.messageId));
    expect(message).toMatchObject({ ticketId: result.ticketId, direction: 'inbound', authorKind: 'contact', channel: 'whatsapp', body: 'Mon imprimante ne veut plus imprimer', providerMessageId: 'wamid.NEW.1' });
    expect(await db().select({ kind: channelMessageDetails.kind, data: channelMessageDetails.data }).from(channelMessageDetails).where(eq(channelMessageDetails.messageId, result.messageId))).toEqual([{ kind: 'text', data: { providerType: 'text' } }]);

    // The timeline in order, the client as the author of both.
    const events = await db().select().from(ticketEvents).where(eq(ticketEvents.ticketId, result.ticketId)).orderBy(asc(ticketEvents.id));
    const mine = events.filter((e) => e.type === 'ticket.created' || e.type === 'message.received');
    expect(mine.map((e) => [e.type, e.actorKind, e.actorId])).toEqual([
      ['ticket.created', 'contact', result.contactId],
      ['message.received', 'contact', result.contactId],
    ]);
    expect(mine[1]!.data).toMatchObject({ messageId: result.messageId, channel: 'whatsapp', excerpt: 'Mon imprimante ne veut plus imprimer' });

    // The confirmation goes out on WhatsApp with a link that opens this client's space.
    const sent = await until(async () => graph.sentTo('+33612880001')[0] ?? graph.sentTo('33612880001')[0] ?? null, 10_000, 'confirmation');
    const text = JSON.stringify(sent);
    expect(text).toContain(result.ticketNumber);
    const token = /mes-demandes\?t=([A-Za-z0-9_-]+)/.exec(text)?.[1];
    expect(token).toBeTruthy();
    const [link] = await db().select().from(portalMagicLinks).where(eq(portalMagicLinks.tokenHash, createHash('sha256').update(token!).digest('hex')));
    expect(link).toMatchObject({ contactId: result.contactId, ticketId: result.ticketId, usedAt: null });
    const notified = await until(async () => {
      const rows = await db().select().from(contactNotifications).where(and(eq(contactNotifications.ticketId, result.ticketId), eq(contactNotifications.status, 'sent')));
      return rows.length ? rows : null;
    });
    expect(notified).toHaveLength(1);
    expect(notified[0]).toMatchObject({ template: 'ticket_received', channel: 'whatsapp', recipient: '+33612880001', attempts: 1 });

    // The job carries what its first run needs; a retry reads the row again and finds it sent.
    const [job] = (await db().execute<{ data: NotifyContactPayload }>(sql`select data from pgboss.job where name = 'notify.contact' and data->>'ticketId' = ${result.ticketId}`)).rows;
    expect(job!.data.prepared).toEqual({
      notificationId: notified[0]!.id,
      reach: { name: 'Odette Lambert', preferred: 'whatsapp', emails: [], phones: [], whatsapp: '+33612880001' },
      ticket: { id: result.ticketId, number: result.ticketNumber, subject: ticket!.subject, channel: 'whatsapp', status: ticket!.status, level: ticket!.level, queueId: ticket!.queueId, assigneeId: ticket!.assigneeId, cyberEmergency: false },
      lastWhatsAppInbound: expect.any(String),
    });
    const before = graph.sent.length;
    expect(await deliverNotification(env.relais.ctx, job!.data, { retryCount: 1 })).toBe('skipped');
    expect(graph.sent.length).toBe(before);
    // A first run sends with one statement, the one that records it as sent (run again here only to count).
    const sending = countStatements(env.relais.ctx.database);
    try {
      expect(await inMeasure(() => deliverNotification(env.relais.ctx, job!.data, { retryCount: 0 }))).toBe('sent');
    } finally {
      sending.stop();
    }
    expect(sending.count()).toBe(1);
  });

  it('closes the delivery it came in with the message, through the webhook', async () => {
    expect((await postWhatsApp(env, SECRET, waText(PHONE_ID, 'wamid.NEW.HOOK', '33612880002', 'Bonjour, je n’arrive plus à me connecter'))).statusCode).toBe(200);
    const [m] = await until(async () => {
      const r = await db().select().from(messages).where(eq(messages.providerMessageId, 'wamid.NEW.HOOK'));
      return r.length ? r : null;
    });
    const [t] = await db().select().from(tickets).where(eq(tickets.id, m!.ticketId));
    const [delivery] = await db().select().from(channelInbox).where(sql`convert_from(${channelInbox.raw}, 'UTF8') like '%wamid.NEW.HOOK%'`);
    expect(delivery).toMatchObject({ state: 'processed', error: null, claimedUntil: null, attempts: 1, result: { outcome: 'created', ticket: t!.number } });
    expect(await db().select({ inboxId: channelMessageDetails.inboxId, kind: channelMessageDetails.kind }).from(channelMessageDetails).where(eq(channelMessageDetails.messageId, m!.id))).toEqual([{ inboxId: delivery!.id, kind: 'text' }]);
  });

  it('makes one contact and one ticket of an unknown person’s messages processed at the same moment on two nodes', async () => {
    nodeB ??= await env.startNode();
    const results = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => receiveInbound((i % 2 ? nodeB! : env.relais).ctx, whatsapp(`wamid.NEW.BURST.${i}`, '33612880003', `Message ${i}`))));
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
    expect(new Set(results.map((r) => r.ticketId)).size).toBe(1);
    expect(await contactsWith('+33612880003')).toHaveLength(1);
    expect(await db().select().from(messages).where(inArray(messages.providerMessageId, results.map((_, i) => `wamid.NEW.BURST.${i}`)))).toHaveLength(6);
    const confirmations = await db().execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = 'notify.contact' and data->>'ticketId' = ${results[0]!.ticketId}`);
    expect(confirmations.rows[0]!.n).toBe(1);
  });

  it('does not store a replayed message again when its sender’s number has gone since', async () => {
    const first = await receiveInbound(env.relais.ctx, whatsapp('wamid.NEW.REPLAY', '33612880004', 'Premier envoi'));
    await db().delete(contactIdentities).where(eq(contactIdentities.contactId, first.contactId));
    const ticketsBefore = (await db().select({ id: tickets.id }).from(tickets)).length;
    const replay = await receiveInbound(env.relais.ctx, whatsapp('wamid.NEW.REPLAY', '33612880004', 'Premier envoi'));
    expect(replay).toMatchObject({ outcome: 'duplicate', messageId: first.messageId, ticketId: first.ticketId });
    expect((await db().select({ id: tickets.id }).from(tickets)).length).toBe(ticketsBefore);
    expect(await contactsWith('+33612880004')).toHaveLength(0);
  });

  it.runIf(process.env.TEST_DATABASE_URL)('waits for whoever holds the sender’s lock and sees what they committed (PostgreSQL)', async () => {
    // Another node is taking this number's first SMS, as the channel intake's transaction does:
    // sender lock, then the contact known by their phone. Uncommitted, the WhatsApp message's
    // thread attempt cannot see them.
    const other = new pg.Client({ connectionString: env.relais.ctx.database.connectionString });
    await other.connect();
    try {
      await other.query('begin');
      await other.query(`select pg_advisory_xact_lock(hashtextextended('relais.inbound:+33612880005', 0))`);
      const { rows } = await other.query<{ id: string }>(`insert into contacts (name, preferred_channel) values ('Marcel Petit', 'sms') returning id`);
      await other.query(`insert into contact_identities (contact_id, kind, value) values ($1, 'phone', '+33612880005')`, [rows[0]!.id]);
      let settled = false;
      const pending = receiveInbound(env.relais.ctx, whatsapp('wamid.NEW.LOCKED', '33612880005', 'Et sur WhatsApp ?')).finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(false);
      await other.query('commit');
      const result = await pending;
      // The statement saw the committed contact once the lock was its own: no second person.
      expect(result.contactId).toBe(rows[0]!.id);
      expect(await contactsWith('+33612880005')).toEqual([{ id: rows[0]!.id }]);
      expect(
        (await db().select({ kind: contactIdentities.kind }).from(contactIdentities).where(eq(contactIdentities.contactId, rows[0]!.id))).map((r) => r.kind).sort(),
      ).toEqual(['phone', 'whatsapp']);
    } finally {
      await other.end();
    }
  });
});
