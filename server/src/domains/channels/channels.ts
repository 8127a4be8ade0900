import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context';
import { NOTIFY_CONTACT_JOB, type NotifyContactPayload } from '../../platform/contact-notifications';
import type { Jobs } from '../../platform/jobs';
import { callbackRoutes } from './callbacks/callback-routes';
import { processEmailDelivery } from './email/inbound-email';
import { IMAP_POLL_JOB, pollImap } from './email/imap-poller';
import { startSmtpReceiver } from './email/smtp-receiver';
import { MAX_INBOX_ATTEMPTS, PROCESS_INBOX_JOB, processDelivery, registerProcessor, sweepInbox, SWEEP_INBOX_JOB } from './inbound/inbox';
import { deliverMessage, deliverNotification, MAX_DELIVERY_ATTEMPTS } from './outbound/delivery';
import { DELIVER_MESSAGE_JOB } from './outbound/queue-delivery';
import { scanStatusNotifications, STATUS_NOTIFICATIONS_JOB } from './outbound/status-notifications';
import { closeTransports } from './providers';
import { runtimeOf, type ChannelRuntime } from './runtime';
import { channelSettingsRoutes } from './provider-settings/channel-settings-routes';
import { watchProviderSettings } from './provider-settings/provider-settings';
import { templateSettingsRoutes } from './settings-routes';
import { processSmsDelivery, processSmsStatus, smsConversation } from './twilio/inbound';
import { webhookRoutes } from './webhook-routes';
import { processWhatsAppDelivery, whatsAppConversation } from './whatsapp/inbound';

registerProcessor('whatsapp', processWhatsAppDelivery, { conversationOf: whatsAppConversation });
registerProcessor('twilio_sms', processSmsDelivery, { conversationOf: smsConversation });
registerProcessor('twilio_status', processSmsStatus);
registerProcessor('email', processEmailDelivery);

/** The channels' workers: inbound processing, outbound replies, client notifications, IMAP polling. */
export function defineChannelJobs(jobs: Jobs, ctx: AppContext): void {
  jobs.define<NotifyContactPayload>({ name: NOTIFY_CONTACT_JOB, retryLimit: MAX_DELIVERY_ATTEMPTS - 1, handler: async (d, run) => void (await deliverNotification(ctx, d, run)) });
  jobs.define<{ messageId: string }>({ name: DELIVER_MESSAGE_JOB, retryLimit: MAX_DELIVERY_ATTEMPTS - 1, handler: async (d) => void (await deliverMessage(ctx, d.messageId)) });
  // Inbound deliveries are processed by the inbox drain (inbound/inbox-drain.ts); this queue only
  // holds the retries of those that failed. A few more tries than the processing allows: a
  // "busy" answer (another node on it) costs one.
  jobs.define<{ id: string }>({ name: PROCESS_INBOX_JOB, retryLimit: MAX_INBOX_ATTEMPTS + 3, handler: async (d) => void (await processDelivery(ctx, d.id)) });
  jobs.define({ name: SWEEP_INBOX_JOB, cron: '* * * * *', retryLimit: 0, handler: async () => void (await sweepInbox(ctx)) });
  // "Waiting for your answer" and "resolved + satisfaction question", from the status changes.
  jobs.define({ name: STATUS_NOTIFICATIONS_JOB, cron: '* * * * *', retryLimit: 1, handler: async () => void (await scanStatusNotifications(ctx)) });
  // Always defined: IMAP_URL may be set later from the admin screen (pollImap does nothing without it).
  jobs.define({ name: IMAP_POLL_JOB, cron: '* * * * *', retryLimit: 0, handler: async () => void (await pollImap(ctx)) });
}

export async function channelRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await webhookRoutes(app, ctx);
  callbackRoutes(app, ctx);
  channelSettingsRoutes(app, ctx);
  templateSettingsRoutes(app, ctx);
}

/**
 * Starts what listens outside HTTP: the inbox drain (on every node, like the webhooks whose
 * deliveries it processes) and the inbound SMTP server; stop() finishes the deliveries claimed.
 */
export async function startChannels(ctx: AppContext): Promise<ChannelRuntime> {
  const runtime = runtimeOf(ctx);
  // The settings saved from the admin screen follow every change, on every node, without restart.
  const unwatch = watchProviderSettings(ctx);
  runtime.onStop(async () => unwatch());
  await runtime.drain.start();
  const email = ctx.config.channels.email;
  if (email.inboundPort !== null) {
    const smtp = await startSmtpReceiver(ctx, { port: email.inboundPort, host: email.inboundHost });
    runtime.smtpPort = smtp.port;
    runtime.onStop(() => smtp.close());
  }
  runtime.onStop(async () => closeTransports(ctx.config));
  return runtime;
}
