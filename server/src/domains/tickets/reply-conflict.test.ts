import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../../test/helpers/app';
import { usingPostgres } from '../../../../test/helpers/database';
import { call, expectError } from '../../../../test/helpers/http';
import { messages, ticketEvents } from './ticket.schema';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(async () => env?.close());

type Who = keyof TestEnv['staff'];
let seq = 0;
async function newTicket() {
  seq++;
  const res = await call(env.relais.app, 'POST', '/api/v1/tickets', {
    auth: env.staff.n1.auth,
    body: { subject: `Courriels qui ne partent plus ${seq}`, channel: 'email', contact: { name: `Client ${seq}`, email: `client${seq}@example.fr` } },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; number: string };
}
const reply = (ref: string, body: Record<string, unknown>, who: Who = 'n1') =>
  call(env.relais.app, 'POST', `/api/v1/tickets/${ref}/messages`, { auth: env.staff[who].auth, body: { visibility: 'public', ...body } });
const messagesOf = (id: string) => env.relais.ctx.db.select().from(messages).where(eq(messages.ticketId, id));
const eventsOf = (id: string) => env.relais.ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, id));
/** A client's message as the channels store it (inbound, public, by the contact). */
async function clientWrites(ticketId: string, body: string) {
  const [m] = await env.relais.ctx.db.insert(messages).values({ ticketId, authorKind: 'contact', visibility: 'public', channel: 'email', body, direction: 'inbound' }).returning();
  return m!;
}

describe(`a second reply is refused by the server (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('refuses a reply when a colleague answered since the marker, says what arrived, writes nothing; the fresh marker sends it', async () => {
    const t = await newTicket();
    // Both agents have seen no message yet (null).
    const first = await reply(t.number, { body: 'Bonjour, vérifiez votre connexion.', lastSeenMessageId: null }, 'n1');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const [msgCount, evCount] = [(await messagesOf(t.id)).length, (await eventsOf(t.id)).length];

    const second = await reply(t.number, { body: 'Bonjour, je vous rappelle.', lastSeenMessageId: null }, 'n2');
    expectError(second, 409, 'REPLY_CONFLICT');
    expect(second.body.error.message).toContain(t.number);
    expect(second.body.error.details).toMatchObject({
      latestMessageId: first.body.id,
      more: false,
      messages: [{ id: first.body.id, author: { kind: 'staff', name: expect.stringMatching(/agent 1/) }, channel: 'email', excerpt: 'Bonjour, vérifiez votre connexion.' }],
    });
    expect((await messagesOf(t.id)).length).toBe(msgCount);
    expect((await eventsOf(t.id)).length).toBe(evCount);

    // Having read it, the agent sends anyway with the fresh marker.
    const anyway = await reply(t.number, { body: 'Bonjour, je complète : je vous rappelle.', lastSeenMessageId: second.body.error.details.latestMessageId }, 'n2');
    expect(anyway.status, JSON.stringify(anyway.body)).toBe(201);
  });

  it('refuses a reply when the client wrote since, and names the client with an excerpt', async () => {
    const t = await newTicket();
    const mine = await reply(t.id, { body: 'Pouvez-vous me dire votre fournisseur ?' });
    const client = await clientWrites(t.id, `C’est Orange. ${'Et aussi, '.repeat(40)}fin.`);
    const res = await reply(t.id, { body: 'Merci, je regarde.', lastSeenMessageId: mine.body.id }, 'n2');
    expectError(res, 409, 'REPLY_CONFLICT');
    expect(res.body.error.message).toMatch(/du client/);
    const [arrived] = res.body.error.details.messages;
    expect(arrived).toMatchObject({ id: client.id, author: { kind: 'contact', name: null } });
    expect(arrived.excerpt.length).toBeLessThanOrEqual(200);
    expect(arrived.excerpt.endsWith('…')).toBe(true);
    expect((await reply(t.id, { body: 'Merci, je regarde.', lastSeenMessageId: client.id }, 'n2')).status).toBe(201);
  });

  it('lets through what the sender had seen: internal notes, and the check left out', async () => {
    const t = await newTicket();
    const r1 = await reply(t.id, { body: 'Première réponse.' });
    const note = await reply(t.id, { body: 'Note : la cliente est malentendante.', visibility: 'internal', lastSeenMessageId: null }, 'n2');
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    // A note since the marker is not a conflict: the client did not get it.
    expect((await reply(t.id, { body: 'Deuxième réponse.', lastSeenMessageId: r1.body.id }, 'n2')).status).toBe(201);
    // Without the field, existing integrations send as before.
    expect((await reply(t.id, { body: 'Troisième réponse.' }, 'n1')).status).toBe(201);
    // The marker may be any message of the ticket the agent read, a note included.
    const latest = (await messagesOf(t.id)).sort((a, b) => +a.createdAt - +b.createdAt).at(-1)!;
    expect((await reply(t.id, { body: 'Quatrième réponse.', lastSeenMessageId: latest.id }, 'n2')).status).toBe(201);
  });

  it('of two replies sent at the same moment with the same marker, exactly one goes out', async () => {
    const t = await newTicket();
    const seen = await reply(t.id, { body: 'Bonjour, que se passe-t-il ?' });
    const results = await Promise.all([
      reply(t.id, { body: 'Réponse de l’agent 1.', lastSeenMessageId: seen.body.id }, 'n1'),
      reply(t.id, { body: 'Réponse de l’agent 2.', lastSeenMessageId: seen.body.id }, 'n2'),
      reply(t.id, { body: 'Réponse du superviseur.', lastSeenMessageId: seen.body.id }, 'supervisor'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect((await messagesOf(t.id)).filter((m) => m.visibility === 'public')).toHaveLength(2);
  });

  it('refuses a marker that is not a message of the ticket, with the field named', async () => {
    const t = await newTicket();
    const other = await newTicket();
    const elsewhere = await reply(other.id, { body: 'Réponse sur une autre demande.' });
    const res = await reply(t.id, { body: 'Bonjour.', lastSeenMessageId: elsewhere.body.id });
    expectError(res, 422, 'LAST_SEEN_MESSAGE_UNKNOWN');
    expect(res.body.error.details[0].field).toBe('body.lastSeenMessageId');
    expectError(await reply(t.id, { body: 'Bonjour.', lastSeenMessageId: 'pas-un-id' }), 400, 'VALIDATION_FAILED');
    expectError(await reply(t.id, { body: 'Bonjour.', lastSeenMessageId: null }, 'technician'), 403, 'FORBIDDEN');
    expect((await messagesOf(t.id)).length).toBe(0);
  });

  it('documents the field and the conflict in the OpenAPI document', async () => {
    const doc = (await call(env.relais.app, 'GET', '/api/openapi.json')).body;
    const op = doc.paths['/api/v1/tickets/{ref}/messages'].post;
    const schema = op.requestBody.content['application/json'].schema;
    expect(schema.required).not.toContain('lastSeenMessageId');
    expect(JSON.stringify(schema.properties.lastSeenMessageId)).toContain('REPLY_CONFLICT');
    expect(op.responses['409']).toBeTruthy();
  });
});
