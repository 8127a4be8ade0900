import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context';
import { AppError, badRequest } from '../../platform/errors';
import { acceptDelivery } from './inbound/inbox';
import { notConfigured } from './providers';
import { validateTwilioSignature } from './twilio/signature';
import { renderTwiml } from './twilio/twiml';
import { parseMessageStatusWebhook, parseSmsWebhook, parseVoiceWebhook, type VoiceWebhook } from './twilio/webhook-params';
import { callStatus, incomingCall, menuChoice, parseStep, parseTries, voicemailRecorded } from './voice/ivr';
import { handleVerificationHandshake, verifyWhatsAppSignature } from './whatsapp/signature';
import { parseWhatsAppWebhook } from './whatsapp/payload';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body bytes exactly as received, for signature checks (webhook routes only). */
    rawBody?: Buffer;
  }
}

const badSignature = () => new AppError(401, 'INVALID_SIGNATURE', 'Signature absente ou invalide.');
// Webhooks are for providers: hidden from the OpenAPI document of the staff API.
const hidden = { hide: true };
type FormBody = Record<string, string | string[]>;

function formObject(raw: string): FormBody {
  const out: FormBody = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/**
 * Provider webhooks. Each one checks the provider's signature over what was really sent
 * (raw body for Meta, public URL + form fields for Twilio) before anything else: a bad or
 * missing signature is a 401 and nothing is stored. Body parsers are scoped to these routes.
 */
export async function webhookRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (req, body: Buffer, done) => {
      req.rawBody = body;
      done(null, {});
    });
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (req, body: string, done) => {
      req.rawBody = Buffer.from(body, 'utf8');
      done(null, formObject(body));
    });

    // ------------------------------------------------------------------ WhatsApp (Meta Cloud API)
    scope.get('/webhooks/whatsapp', { config: { access: 'public' }, schema: hidden }, async (req, reply) => {
      const wa = ctx.config.channels.whatsapp;
      if (!wa) throw notConfigured('WhatsApp');
      const r = handleVerificationHandshake(req.query as Record<string, unknown>, wa.verifyToken);
      if (!r.ok) throw new AppError(r.status, r.status === 403 ? 'VERIFY_TOKEN_MISMATCH' : 'INVALID_HANDSHAKE', r.reason);
      return reply.type('text/plain; charset=utf-8').send(r.challenge);
    });

    scope.post('/webhooks/whatsapp', { config: { access: 'public' }, schema: hidden }, async (req, reply) => {
      const wa = ctx.config.channels.whatsapp;
      if (!wa) throw notConfigured('WhatsApp');
      const raw = req.rawBody ?? Buffer.alloc(0);
      const sig = req.headers['x-hub-signature-256'];
      if (!verifyWhatsAppSignature(raw, typeof sig === 'string' ? sig : null, wa.appSecret)) throw badSignature();
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw badRequest('INVALID_JSON', 'Corps JSON invalide.');
      }
      const parsed = parseWhatsAppWebhook(body);
      if (!parsed.ok) throw badRequest('INVALID_PAYLOAD', `Notification WhatsApp invalide : ${parsed.error}`);
      // Meta resends the exact same body when it got no 200: its hash is the delivery's identity.
      const { duplicate } = await acceptDelivery(ctx, 'whatsapp', createHash('sha256').update(raw).digest('hex'), raw);
      return reply.status(200).send({ received: true, duplicate });
    });

    // ------------------------------------------------------------------ Twilio (voice and SMS)
    const twilioCheck = (req: FastifyRequest) => {
      const tw = ctx.config.channels.twilio;
      if (!tw) throw notConfigured('Twilio');
      const sig = req.headers['x-twilio-signature'];
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as FormBody;
      // Twilio signs the URL it called: our public URL (the proxy in front may rewrite host and scheme).
      if (!validateTwilioSignature(tw.authToken, typeof sig === 'string' ? sig : null, `${ctx.config.publicUrl}${req.url}`, body)) throw badSignature();
      return body;
    };
    const voice = (req: FastifyRequest): VoiceWebhook => {
      const parsed = parseVoiceWebhook(twilioCheck(req));
      if (!parsed.ok) throw badRequest('INVALID_PAYLOAD', `Webhook Twilio invalide : ${parsed.error}`);
      return parsed.value;
    };
    const twiml = (reply: FastifyReply, xml: string) => reply.type('text/xml; charset=utf-8').send(xml);

    scope.post('/webhooks/twilio/voice', { config: { access: 'public' }, schema: hidden }, async (req, reply) => twiml(reply, await incomingCall(ctx, voice(req))));

    scope.post<{ Querystring: Record<string, unknown> }>('/webhooks/twilio/voice/menu', { config: { access: 'public' }, schema: hidden }, async (req, reply) => {
      const call = voice(req);
      return twiml(reply, await menuChoice(ctx, call, parseStep(req.query.step), parseTries(req.query.try)));
    });

    scope.post('/webhooks/twilio/voice/recording', { config: { access: 'public' }, schema: hidden }, async (req, reply) => twiml(reply, await voicemailRecorded(ctx, voice(req))));

    scope.post('/webhooks/twilio/voice/status', { config: { access: 'public' }, schema: hidden }, async (req, reply) => {
      await callStatus(ctx, voice(req));
      return reply.status(204).send();
    });

    scope.post('/webhooks/twilio/sms', { config: { access: 'public' }, schema: hidden }, async (req, reply) => {
      const parsed = parseSmsWebhook(twilioCheck(req));
      if (!parsed.ok) throw badRequest('INVALID_PAYLOAD', `Webhook Twilio invalide : ${parsed.error}`);
      await acceptDelivery(ctx, 'twilio_sms', parsed.value.messageSid, req.rawBody!);
      // An empty TwiML answer: the reply, if any, is written by an agent.
      return twiml(reply, renderTwiml());
    });

    scope.post('/webhooks/twilio/sms/status', { config: { access: 'public' }, schema: hidden }, async (req, reply) => {
      const parsed = parseMessageStatusWebhook(twilioCheck(req));
      if (!parsed.ok) throw badRequest('INVALID_PAYLOAD', `Webhook Twilio invalide : ${parsed.error}`);
      await acceptDelivery(ctx, 'twilio_status', `${parsed.value.messageSid}:${parsed.value.status}`, req.rawBody!);
      return reply.status(204).send();
    });
  });
}
