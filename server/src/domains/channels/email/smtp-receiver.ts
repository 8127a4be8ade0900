import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import type { AppContext } from '../../../platform/context';
import { acceptEmail } from './inbound-email';

export interface SmtpReceiver {
  port: number;
  close(): Promise<void>;
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * The inbound SMTP server (smtp-server): mail for our domain only (never a relay), at most
 * EMAIL_MAX_BYTES, stored in the inbox before `250 OK` so a crash after that loses nothing.
 * A database problem answers 451: the sending server keeps the mail and tries again.
 * Meant to sit behind the MX (or a relay that forwards to it); no AUTH, no TLS termination here.
 */
export async function startSmtpReceiver(ctx: AppContext, opts: { port: number; host: string }): Promise<SmtpReceiver> {
  // Read at each use: the address (EMAIL_FROM) may change from the admin screen while we listen.
  const email = () => ctx.config.channels.email;
  const cfg = email();
  const server = new SMTPServer({
    name: cfg.domain,
    banner: 'Relais',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: cfg.maxBytes,
    maxClients: 50,
    socketTimeout: 60_000,
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const domain = address.address.split('@').pop()?.toLowerCase();
      const ours = email().domain;
      if (domain !== ours) return callback(smtpError(`5.1.2 Nous ne recevons que le courrier pour ${ours}`, 550));
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(smtpError(`5.3.4 Message trop volumineux (maximum ${Math.round(cfg.maxBytes / 1024 / 1024)} Mo)`, 552));
        acceptEmail(ctx, Buffer.concat(chunks)).then(
          () => callback(),
          (err: Error) => {
            console.error('[channels] inbound email not stored:', err.message);
            callback(smtpError('4.3.0 Erreur temporaire, réessayez plus tard', 451));
          },
        );
      });
    },
  });
  server.on('error', (err) => console.error('[channels] SMTP receiver:', err.message));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
