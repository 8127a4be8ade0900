import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../../../test/helpers/app';
import { messages } from '../../tickets/ticket.schema';
import { channelInbox } from '../channel.schema';
import { startFakeImap, type FakeMailbox } from '../testing/fake-imap';
import { until } from '../testing/fake-server';
import { pollImap } from './imap-poller';

let env: TestEnv;
let imap: FakeMailbox;

const mail = (id: string, from: string, subject: string, body: string) =>
  Buffer.from(
    [`From: ${from}`, 'To: support@numi.test', `Subject: ${subject}`, `Message-ID: <${id}>`, 'Date: Mon, 3 Mar 2025 10:00:00 +0100', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable', '', body, ''].join('\r\n'),
  );

beforeAll(async () => {
  imap = await startFakeImap('hotline@numi.test', 'mot de passe');
  env = await startTestEnv({ EMAIL_FROM: 'support@numi.test', IMAP_URL: `imap://hotline%40numi.test:mot%20de%20passe@127.0.0.1:${imap.port}/INBOX`, EMAIL_MAX_BYTES: String(20 * 1024) });
});
afterAll(async () => {
  await env?.close();
  await imap?.close();
});

describe('IMAP polling (imapflow)', () => {
  it('stores unread mail, flags it read, and never takes the same mail twice', async () => {
    imap.messages.push(
      { uid: 1, raw: mail('deja-lu@exemple.fr', 'a@exemple.fr', 'Ancien', 'D=C3=A9j=C3=A0 trait=C3=A9'), seen: true },
      { uid: 2, raw: mail('imap-1@exemple.fr', '"Marcel Dupont" <marcel@exemple.fr>', 'Ma tablette ne charge plus', 'Bonjour, ma tablette ne charge plus depuis hier.'), seen: false },
      { uid: 3, raw: mail('imap-gros@exemple.fr', 'b@exemple.fr', 'Gros', 'x'.repeat(30 * 1024)), seen: false },
    );
    expect(await pollImap(env.relais.ctx)).toEqual({ stored: 1, skipped: 1 });
    expect(imap.logins).toContainEqual({ user: 'hotline@numi.test', pass: 'mot de passe' });
    expect(imap.messages.map((m) => m.seen)).toEqual([true, true, true]);
    expect(imap.commands).toContain('UID STORE 2 +FLAGS (\\Seen)');
    const [m] = await until(async () => {
      const rows = await env.relais.ctx.db.select().from(messages).where(eq(messages.providerMessageId, '<imap-1@exemple.fr>'));
      return rows.length ? rows : null;
    });
    expect(m!.body).toBe('Bonjour, ma tablette ne charge plus depuis hier.');
    expect(m!.channel).toBe('email');

    // Stored but not flagged (crash in between): fetched again, deduplicated by Message-ID.
    imap.messages[1]!.seen = false;
    expect(await pollImap(env.relais.ctx)).toEqual({ stored: 1, skipped: 0 });
    const rows = await env.relais.ctx.db.select().from(channelInbox).where(eq(channelInbox.dedupeKey, '<imap-1@exemple.fr>'));
    expect(rows).toHaveLength(1);
    expect(await env.relais.ctx.db.select().from(messages).where(eq(messages.providerMessageId, '<imap-1@exemple.fr>'))).toHaveLength(1);
    expect(await pollImap(env.relais.ctx)).toEqual({ stored: 0, skipped: 0 });
  });

  it('fails loudly on wrong credentials', async () => {
    const { loadConfig } = await import('../../../config');
    const bad = { ...env.relais.ctx, config: { ...env.relais.ctx.config, channels: { ...env.relais.ctx.config.channels, email: { ...loadConfig({ IMAP_URL: `imap://hotline%40numi.test:faux@127.0.0.1:${imap.port}/INBOX` }).channels.email } } } };
    await expect(pollImap(bad)).rejects.toMatchObject({ authenticationFailed: true });
    expect(imap.logins.at(-1)).toEqual({ user: 'hotline@numi.test', pass: 'faux' });
  });
});
