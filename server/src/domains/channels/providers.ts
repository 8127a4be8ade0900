import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../../config';
import { AppError } from '../../platform/errors';
import { TwilioMessagingClient } from './twilio/messaging-client';
import { WhatsAppGraphClient } from './whatsapp/graph-client';

/**
 * The SMTP transport is built once per configuration and SMTP_URL (a test environment gets its
 * own); a new URL saved from the admin screen gets a new transport and the old one is closed.
 */
const transports = new WeakMap<Config, { url: string; transport: Transporter }>();

export function notConfigured(channel: string): AppError {
  return new AppError(503, 'CHANNEL_NOT_CONFIGURED', `Le canal ${channel} n’est pas configuré sur ce serveur.`);
}

export function emailTransport(config: Config): Transporter | null {
  const url = config.channels.email.smtpUrl;
  if (!url) return null;
  const current = transports.get(config);
  if (current?.url === url) return current.transport;
  current?.transport.close();
  // A local relay without TLS is common (postfix on the same host); `smtps:` and STARTTLS when offered.
  const transport = nodemailer.createTransport({ url, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 });
  transports.set(config, { url, transport });
  return transport;
}

export function whatsappClient(config: Config): WhatsAppGraphClient | null {
  const wa = config.channels.whatsapp;
  return wa ? new WhatsAppGraphClient({ accessToken: wa.accessToken, phoneNumberId: wa.phoneNumberId, baseUrl: wa.apiUrl, timeoutMs: 20_000, maxMediaBytes: config.maxAttachmentBytes }) : null;
}

export function twilioClient(config: Config): TwilioMessagingClient | null {
  const tw = config.channels.twilio;
  return tw ? new TwilioMessagingClient({ accountSid: tw.accountSid, authToken: tw.authToken, baseUrl: tw.apiUrl, timeoutMs: 20_000 }) : null;
}

export function closeTransports(config: Config): void {
  transports.get(config)?.transport.close();
  transports.delete(config);
}
