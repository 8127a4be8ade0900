import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FakeMailbox {
  port: number;
  /** Messages of INBOX, in UID order. */
  messages: { uid: number; raw: Buffer; seen: boolean }[];
  /** Every command received, as sent (without the tag). */
  commands: string[];
  logins: { user: string; pass: string }[];
  close(): Promise<void>;
}

/**
 * A small IMAP4rev1 server (RFC 3501) for tests: LOGIN, LIST, SELECT, UID SEARCH UNSEEN,
 * UID FETCH (BODY.PEEK[] / RFC822.SIZE / FLAGS), UID STORE +FLAGS (\Seen), LOGOUT — what a
 * client polling a mailbox needs. It checks the credentials it is given.
 */
export async function startFakeImap(user: string, pass: string): Promise<FakeMailbox> {
  const box: FakeMailbox = { port: 0, messages: [], commands: [], logins: [], close: async () => {} };
  const sockets = new Set<net.Socket>();
  const unquote = (s: string) => (s.startsWith('"') ? s.slice(1, -1).replace(/\\(.)/g, '$1') : s);
  const uidSet = (spec: string) => {
    const max = box.messages.at(-1)?.uid ?? 0;
    const out = new Set<number>();
    for (const part of spec.split(',')) {
      const [a, b] = part.split(':');
      const from = a === '*' ? max : Number(a);
      const to = b === undefined ? from : b === '*' ? max : Number(b);
      for (let u = Math.min(from, to); u <= Math.max(from, to); u++) out.add(u);
    }
    return out;
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let authed = false;
    let buffer = '';
    const send = (s: string | Buffer) => socket.write(s);
    send('* OK [CAPABILITY IMAP4rev1] Fake IMAP ready\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        const m = /^(\S+) (\S+)(?: (.*))?$/.exec(line);
        if (!m) continue;
        const [, tag, cmdRaw, rest = ''] = m;
        const cmd = cmdRaw!.toUpperCase();
        box.commands.push(`${cmd} ${rest}`.trim());
        const ok = (text = `${cmd} completed`) => send(`${tag} OK ${text}\r\n`);
        if (cmd === 'CAPABILITY') {
          send('* CAPABILITY IMAP4rev1\r\n');
          ok();
        } else if (cmd === 'LOGIN') {
          const args = rest.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
          const u = unquote(args[0] ?? '');
          const p = unquote(args[1] ?? '');
          box.logins.push({ user: u, pass: p });
          if (u === user && p === pass) {
            authed = true;
            ok('[CAPABILITY IMAP4rev1] LOGIN completed');
          } else send(`${tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n`);
        } else if (cmd === 'LOGOUT') {
          send('* BYE logging out\r\n');
          ok();
          socket.end();
        } else if (!authed) {
          send(`${tag} NO not authenticated\r\n`);
        } else if (cmd === 'LIST' || cmd === 'LSUB') {
          send('* LIST (\\HasNoChildren) "/" INBOX\r\n');
          ok();
        } else if (cmd === 'SELECT' || cmd === 'EXAMINE') {
          const uidNext = (box.messages.at(-1)?.uid ?? 0) + 1;
          send(`* ${box.messages.length} EXISTS\r\n* 0 RECENT\r\n* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)\r\n* OK [PERMANENTFLAGS (\\Seen \\Deleted)] ok\r\n* OK [UIDVALIDITY 1] ok\r\n* OK [UIDNEXT ${uidNext}] ok\r\n`);
          ok(`[READ-WRITE] ${cmd} completed`);
        } else if (cmd === 'UID' || cmd === 'SEARCH' || cmd === 'FETCH' || cmd === 'STORE') {
          const [sub, ...args] = cmd === 'UID' ? rest.split(' ') : [cmd, ...rest.split(' ')];
          const s = sub!.toUpperCase();
          if (s === 'SEARCH') {
            const unseen = /UNSEEN/i.test(args.join(' '));
            const hits = box.messages.filter((x) => !unseen || !x.seen).map((x) => x.uid);
            send(`* SEARCH${hits.length ? ' ' + hits.join(' ') : ''}\r\n`);
            ok();
          } else if (s === 'FETCH') {
            const set = uidSet(args[0]!);
            box.messages.forEach((msg, idx) => {
              if (!set.has(msg.uid)) return;
              const flags = msg.seen ? '\\Seen' : '';
              send(Buffer.concat([Buffer.from(`* ${idx + 1} FETCH (UID ${msg.uid} FLAGS (${flags}) RFC822.SIZE ${msg.raw.length} BODY[] {${msg.raw.length}}\r\n`), msg.raw, Buffer.from(')\r\n')]));
            });
            ok();
          } else if (s === 'STORE') {
            const set = uidSet(args[0]!);
            const add = /^\+FLAGS/i.test(args[1] ?? '') && /\\Seen/i.test(args.slice(2).join(' '));
            box.messages.forEach((msg) => {
              if (set.has(msg.uid) && add) msg.seen = true;
            });
            ok();
          } else ok();
        } else {
          // NOOP, ID, ENABLE, NAMESPACE, CLOSE…: nothing to say.
          ok();
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  box.port = (server.address() as AddressInfo).port;
  box.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return box;
}
