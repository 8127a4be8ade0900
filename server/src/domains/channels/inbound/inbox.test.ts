import { createHmac } from 'node:crypto';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../../../test/helpers/app';
import type { RelaisApp } from '../../../app';
import { messages, tickets } from '../../tickets/ticket.schema';
import { channelInbox } from '../channel.schema';
import { PNG, whatsappVariables } from '../testing/channel-test-kit';
import { startFakeServer, until, type FakeServer } from '../testing/fake-server';
import { MAX_INBOX_ATTEMPTS, PROCESS_INBOX_JOB, sweepInbox } from './inbox';
import { receiveInbound } from './intake';

/**
 * The inbox mechanism itself, through the real WhatsApp webhook: deliveries processed at once
 * by the LISTEN-driven drain (no job, no polling on the way), once whatever the replays and the
 * nodes, in order per person, picked up again after a crash, retried through pg-boss.
 */
const SECRET = 'app-secret-inbox';
const TOKEN = 'EAAG-inbox-token';
const PHONE_ID = '106540352242922';

let env: TestEnv;
let nodeB: RelaisApp | undefined;
/** Another app node on the same database, started by the first test that needs two (the first tests need one). */
const second = async () => (nodeB ??= await env.startNode());
let graph: FakeServer;
/** Media ids whose next download answers 500, as Meta does when it is having a bad moment. */
const flaky = new Set<string>();

beforeAll(async () => {
  graph = await startFakeServer((req, server) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: { error: { message: 'Invalid OAuth access token.', code: 190 } } };
    const meta = /^\/v21\.0\/(media-[\w-]+)$/.exec(req.path);
    if (meta) {
      if (flaky.delete(meta[1]!)) return { status: 500, body: { error: { message: 'An unexpected error has occurred.', code: 2, is_transient: true } } };
      return { body: { messaging_product: 'whatsapp', url: `${server.url}/download/${meta[1]}`, mime_type: 'image/png', file_size: PNG.length, id: meta[1] } };
    }
    if (req.path.startsWith('/download/')) return { headers: { 'content-type': 'image/png' }, body: PNG };
    if (req.method === 'POST' && req.path === `/v21.0/${PHONE_ID}/messages`) return { body: { messaging_product: 'whatsapp', messages: [{ id: `wamid.OUT${server.requests.length}` }] } };
    return { status: 404, body: { error: { message: 'Unknown path', code: 803 } } };
  });
  env = await startTestEnv({
    RELAIS_JOBS: 'true',
    PUBLIC_URL: 'https://relais.example',
    ...whatsappVariables({ secret: SECRET, token: TOKEN, phoneNumberId: PHONE_ID }, graph.url),
  });
});
afterAll(async () => {
  await env?.close();
  await graph?.close();
});

const db = () => env.relais.ctx.db;
const ts = () => String(Math.floor(Date.now() / 1000));

function envelope(wa: string, msgs: Record<string, unknown>[]) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '33123456789', phone_number_id: PHONE_ID }, contacts: [{ profile: { name: 'Josette Martin' }, wa_id: wa }], messages: msgs } }],
      },
    ],
  };
}
const text = (id: string, wa: string, body: string) => ({ from: wa, id, timestamp: ts(), type: 'text', text: { body } });

async function post(node: RelaisApp, body: unknown) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await node.app.inject({
    method: 'POST',
    url: '/webhooks/whatsapp',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}` },
    payload: raw,
  });
  expect(res.statusCode, res.body).toBe(200);
  return JSON.parse(res.body) as { received: boolean; duplicate: boolean };
}

const messagesOf = (wamids: string[]) => db().select().from(messages).where(inArray(messages.providerMessageId, wamids)).orderBy(asc(messages.createdAt));
async function visible(wamids: string[], timeoutMs = 20_000) {
  return until(async () => {
    const rows = await messagesOf(wamids);
    return rows.length === wamids.length ? rows : null;
  }, timeoutMs, `messages ${wamids.join(', ')}`);
}
const inboxRows = (ids: string[]) => db().select().from(channelInbox).where(inArray(channelInbox.id, ids));
const deliveriesMentioning = (wamid: string) => db().select().from(channelInbox).where(sql`convert_from(${channelInbox.raw}, 'UTF8') like ${`%${wamid}%`}`);
/**
 * A backlog (deliveries stored while the drains were busy elsewhere, no NOTIFY): each person's
 * burst of four messages, the first one starting their ticket, one after the other in the inbox.
 */
async function storeBacklog(people: string[]): Promise<string[]> {
  const wamids: string[] = [];
  const t0 = Date.now() - 1000;
  for (const [p, wa] of people.entries()) {
    for (let i = 0; i < 4; i++) {
      const id = `wamid.ORDER.${wa}.${i}`;
      wamids.push(id);
      await storeSilently(JSON.stringify(envelope(wa, [text(id, wa, `Message ${i}`)])), { receivedAt: new Date(t0 + p * 4 + i) });
    }
  }
  return wamids;
}

async function retryJobs(inboxId: string) {
  const rows = await db().execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = ${PROCESS_INBOX_JOB} and data->>'id' = ${inboxId}`);
  return Number(rows.rows[0]!.n);
}

/** Stores a delivery the way acceptDelivery does, but without the NOTIFY: as if it were lost. */
async function storeSilently(raw: string, extra: Partial<typeof channelInbox.$inferInsert> = {}) {
  const [row] = await db()
    .insert(channelInbox)
    .values({ source: 'whatsapp', dedupeKey: `test:${Math.random()}`, raw: Buffer.from(raw), ...extra })
    .returning();
  return row!;
}

describe('inbox drain', () => {
  it('processes a delivery as soon as it is stored, without a job, through the one-statement path', async () => {
    const started = Date.now();
    await post(env.relais, envelope('33611000001', [text('wamid.NOW1', '33611000001', 'Bonjour, ma box ne marche plus')]));
    const [first] = await visible(['wamid.NOW1']);
    // A second message of the same conversation takes the hot path (ticket known, nothing to move).
    await post(env.relais, envelope('33611000001', [text('wamid.NOW2', '33611000001', 'Elle clignote en rouge')]));
    const [, second] = await visible(['wamid.NOW1', 'wamid.NOW2']);
    // Woken by NOTIFY, not by a poll (the drain's backstop is 5 s, pg-boss polls every 1–2 s).
    expect(Date.now() - started).toBeLessThan(4000);
    expect(second!.ticketId).toBe(first!.ticketId);
    const rows = await deliveriesMentioning('wamid.NOW');
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r).toMatchObject({ state: 'processed', attempts: 1, error: null, claimedUntil: null });
      expect(await retryJobs(r.id)).toBe(0);
    }
    expect(rows.map((r) => r.result?.outcome).sort()).toEqual(['created', 'threaded']);
  });

  it('keeps each person’s messages in order, and one ticket for a burst that came before the first ticket', async () => {
    const wamids = await storeBacklog(['33611000005', '33611000006', '33611000007']);
    // The next delivery's NOTIFY wakes the drain: it claims the backlog in batches.
    await post(env.relais, envelope('33611000008', [text('wamid.ORDER.WAKE0', '33611000008', 'Bonjour')]));
    const rows = await visible(wamids);
    for (const wa of ['33611000005', '33611000006', '33611000007']) {
      const mine = rows.filter((m) => m.providerMessageId!.startsWith(`wamid.ORDER.${wa}.`));
      expect(mine.map((m) => m.body)).toEqual(['Message 0', 'Message 1', 'Message 2', 'Message 3']);
      expect(new Set(mine.map((m) => m.ticketId)).size).toBe(1);
    }
  });

  it('creates one message when the same delivery reaches two nodes at once, and when the same message comes in two envelopes', async () => {
    const nodeB = await second();
    const body = JSON.stringify(envelope('33611000002', [text('wamid.TWICE', '33611000002', 'Message rejoué')]));
    const answers = await Promise.all([post(env.relais, body), post(nodeB, body), post(env.relais, body), post(nodeB, body)]);
    expect(answers.filter((a) => !a.duplicate)).toHaveLength(1);
    // Same wamid, other bytes (Meta batches differently on a retry): two deliveries, one message.
    const other = envelope('33611000002', [text('wamid.TWICE', '33611000002', 'Message rejoué')]);
    (other.entry[0]!.changes[0]!.value as Record<string, unknown>).statuses = [];
    await Promise.all([post(env.relais, other), post(nodeB, JSON.stringify(other, null, 1))]);
    await visible(['wamid.TWICE']);
    const inbox = await until(async () => {
      const rows = await deliveriesMentioning('wamid.TWICE');
      return rows.length === 3 && rows.every((r) => r.state !== 'pending') ? rows : null;
    });
    expect(inbox.map((r) => r.state)).toEqual(['processed', 'processed', 'processed']);
    expect(await messagesOf(['wamid.TWICE'])).toHaveLength(1);
  });

  it('shares a backlog between nodes: each delivery claimed once, one ticket per person', async () => {
    const people = ['33611000010', '33611000011', '33611000012', '33611000013'];
    const wamids = await storeBacklog(people);
    // The next deliveries' NOTIFY wakes both nodes: they drain the backlog together.
    const nodeB = await second();
    await Promise.all([post(env.relais, envelope('33611000014', [text('wamid.ORDER.WAKE1', '33611000014', 'Bonjour')])), post(nodeB, envelope('33611000015', [text('wamid.ORDER.WAKE2', '33611000015', 'Bonjour')]))]);
    const rows = await visible(wamids);
    for (const wa of people) {
      const mine = rows.filter((m) => m.providerMessageId!.startsWith(`wamid.ORDER.${wa}.`));
      expect(mine.map((m) => m.body).sort()).toEqual(['Message 0', 'Message 1', 'Message 2', 'Message 3']);
      // Two nodes may take the same person's messages at once: still one ticket.
      expect(new Set(mine.map((m) => m.ticketId)).size).toBe(1);
    }
    const inbox = await Promise.all(people.map((wa) => deliveriesMentioning(`wamid.ORDER.${wa}.`)));
    // Claimed once each: no node took a delivery another one was working on.
    expect(inbox.flat().map((r) => `${r.state}/${r.attempts}`)).toEqual(Array(16).fill('processed/1'));
  });

  it('makes one ticket of a person’s messages processed at the same moment on two nodes', async () => {
    // A client we know, whose last request is closed: the next message starts a new ticket.
    const first = await receiveInbound(env.relais.ctx, { channel: 'whatsapp', providerMessageId: 'wamid.SAME.OLD', from: { whatsappId: '33611000016', name: 'Gisèle' }, text: 'Ancienne demande' });
    await db().update(tickets).set({ status: 'closed', closedAt: new Date() }).where(eq(tickets.id, first.ticketId));
    const nodeB = await second();
    const results = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) =>
        receiveInbound((i % 2 ? nodeB : env.relais).ctx, { channel: 'whatsapp', providerMessageId: `wamid.SAME.${i}`, from: { whatsappId: '33611000016', name: 'Gisèle' }, text: `Premier message ${i}` }),
      ),
    );
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
    expect(new Set(results.map((r) => r.ticketId)).size).toBe(1);
    expect(results[0]!.ticketId).not.toBe(first.ticketId);
    expect(new Set(results.map((r) => r.contactId))).toEqual(new Set([first.contactId]));
  });

  it('processes a delivery whose notification was lost, and takes over one whose worker died', async () => {
    const lost = await storeSilently(JSON.stringify(envelope('33611000020', [text('wamid.LOST', '33611000020', 'Personne ne m’a entendu ?')])));
    // Claimed by a node that crashed mid-way: lease over, no error recorded.
    const crashed = await storeSilently(JSON.stringify(envelope('33611000021', [text('wamid.CRASHED', '33611000021', 'Allô ?')])), {
      attempts: 1,
      claimedUntil: new Date(Date.now() - 1000),
    });
    // Still being worked on by a live node: left alone until its lease runs out.
    const held = await storeSilently(JSON.stringify(envelope('33611000022', [text('wamid.HELD', '33611000022', 'En cours')])), {
      attempts: 1,
      claimedUntil: new Date(Date.now() + 60_000),
    });
    await visible(['wamid.LOST', 'wamid.CRASHED'], 15_000);
    const rows = await inboxRows([lost.id, crashed.id, held.id]);
    expect(rows.find((r) => r.id === lost.id)).toMatchObject({ state: 'processed', attempts: 1 });
    expect(rows.find((r) => r.id === crashed.id)).toMatchObject({ state: 'processed', attempts: 2 });
    expect(rows.find((r) => r.id === held.id)).toMatchObject({ state: 'pending', attempts: 1 });
    expect(await messagesOf(['wamid.HELD'])).toHaveLength(0);
    await db().update(channelInbox).set({ state: 'ignored' }).where(eq(channelInbox.id, held.id));
  });

  it('hands a failed delivery to a pg-boss job that retries it', async () => {
    flaky.add('media-flaky');
    await post(env.relais, envelope('33611000030', [{ from: '33611000030', id: 'wamid.FLAKY', timestamp: ts(), type: 'image', image: { id: 'media-flaky', mime_type: 'image/png', sha256: 'x' } }]));
    const failedOnce = await until(async () => {
      const [r] = await deliveriesMentioning('wamid.FLAKY');
      return r?.error ? r : null;
    }, 10_000, 'first failure');
    expect(failedOnce).toMatchObject({ state: 'pending', attempts: 1, claimedUntil: null });
    expect(failedOnce.error).toMatch(/500|unexpected/i);
    expect(await retryJobs(failedOnce.id)).toBe(1);
    const [m] = await visible(['wamid.FLAKY'], 30_000);
    const [after] = await inboxRows([failedOnce.id]);
    expect(after).toMatchObject({ state: 'processed', attempts: 2, error: null });
    const files = await db().execute<{ content_type: string }>(sql`select content_type from attachments where message_id = ${m!.id}`);
    expect(files.rows.map((f) => f.content_type)).toEqual(['image/png']);
  });

  it('fails at once what can never be processed, without a retry job', async () => {
    const bad = await storeSilently('{"object": "whatsapp_business_account", "entry": [');
    const row = await until(async () => {
      const [r] = await inboxRows([bad.id]);
      return r?.state === 'failed' ? r : null;
    }, 15_000, 'failed');
    expect(row.error).toMatch(/JSON/);
    expect(await retryJobs(bad.id)).toBe(0);
  });

  it('sweeps deliveries left pending by a lost job, and gives up on one whose worker kept dying', async () => {
    // Failed once; its retry job was lost. Only the sweep sees it (the drain leaves errors to jobs).
    const orphan = await storeSilently(JSON.stringify(envelope('33611000040', [text('wamid.ORPHAN', '33611000040', 'Vous êtes là ?')])), {
      attempts: 1,
      error: 'HTTP 500',
      receivedAt: new Date(Date.now() - 10 * 60_000),
    });
    const poison = await storeSilently(JSON.stringify(envelope('33611000041', [text('wamid.POISON', '33611000041', 'x')])), {
      attempts: MAX_INBOX_ATTEMPTS + 2,
      claimedUntil: new Date(Date.now() - 1000),
      receivedAt: new Date(Date.now() - 20 * 60_000),
    });
    await new Promise((r) => setTimeout(r, 300));
    expect((await inboxRows([orphan.id]))[0]!.state).toBe('pending');
    await sweepInbox(env.relais.ctx);
    const rows = await inboxRows([orphan.id, poison.id]);
    expect(rows.find((r) => r.id === orphan.id)).toMatchObject({ state: 'processed', error: null });
    expect(rows.find((r) => r.id === poison.id)).toMatchObject({ state: 'failed' });
    expect(rows.find((r) => r.id === poison.id)!.error).toMatch(/interrompu/);
    expect(await messagesOf(['wamid.ORPHAN'])).toHaveLength(1);
    expect(await messagesOf(['wamid.POISON'])).toHaveLength(0);
  });

  it('keeps the timeline and the status rules on the hot path', async () => {
    await post(env.relais, envelope('33611000050', [text('wamid.HOT1', '33611000050', 'Mon écran est noir')]));
    const [m1] = await visible(['wamid.HOT1']);
    await post(env.relais, envelope('33611000050', [text('wamid.HOT2', '33611000050', 'Toujours noir')]));
    const [, m2] = await visible(['wamid.HOT1', 'wamid.HOT2']);
    const events = await db().execute<{ type: string; actor_kind: string; data: { messageId?: string; excerpt?: string } }>(
      sql`select type, actor_kind, data from ticket_events where ticket_id = ${m1!.ticketId} and type = 'message.received' order by id`,
    );
    expect(events.rows.map((e) => e.data.messageId)).toEqual([m1!.id, m2!.id]);
    expect(events.rows[1]).toMatchObject({ actor_kind: 'contact', data: { excerpt: 'Toujours noir', channel: 'whatsapp' } });
    const details = await db().execute<{ kind: string; inbox_id: string | null }>(sql`select kind, inbox_id from channel_message_details where message_id = ${m2!.id}`);
    expect(details.rows[0]).toMatchObject({ kind: 'text' });
    expect(details.rows[0]!.inbox_id).toBeTruthy();
    // Waiting on the client: the next message moves the ticket (the full path does it).
    await db().update(tickets).set({ status: 'waiting_on_contact' }).where(eq(tickets.id, m1!.ticketId));
    await post(env.relais, envelope('33611000050', [text('wamid.HOT3', '33611000050', 'Voilà')]));
    await visible(['wamid.HOT3']);
    const [t] = await db().select({ status: tickets.status }).from(tickets).where(eq(tickets.id, m1!.ticketId));
    expect(t!.status).toBe('in_progress');
  });
});
