import { ImapFlow } from 'imapflow';
import type { AppContext } from '../../../platform/context';
import { acceptEmail } from './inbound-email';

export const IMAP_POLL_JOB = 'channels.email.imap-poll';
const BATCH = 50;

/**
 * The alternative to the SMTP receiver: every minute, unread mail of the mailbox in IMAP_URL
 * (`imaps://user:password@host:993/INBOX`) is stored in the inbox, then flagged \Seen. A message
 * stored but not flagged (crash in between) is fetched again and deduplicated by its Message-ID.
 */
export async function pollImap(ctx: AppContext): Promise<{ stored: number; skipped: number }> {
  const raw = ctx.config.channels.email.imapUrl;
  if (!raw) return { stored: 0, skipped: 0 };
  const u = new URL(raw);
  const secure = u.protocol === 'imaps:';
  const client = new ImapFlow({
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 993 : 143,
    secure,
    auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) },
    logger: false,
  });
  await client.connect();
  let stored = 0;
  let skipped = 0;
  try {
    const lock = await client.getMailboxLock(decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX');
    try {
      const uids = ((await client.search({ seen: false }, { uid: true })) || []).slice(0, BATCH);
      for (const uid of uids) {
        const msg = await client.fetchOne(String(uid), { source: true, size: true }, { uid: true });
        if (msg && msg.source && (msg.size ?? msg.source.length) <= ctx.config.channels.email.maxBytes) {
          await acceptEmail(ctx, msg.source);
          stored++;
        } else {
          skipped++;
        }
        await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return { stored, skipped };
}
