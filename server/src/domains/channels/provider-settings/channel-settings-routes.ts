import type { FastifyInstance } from 'fastify';
import { Type, type Static, type TSchema } from 'typebox';
import type { AppContext } from '../../../platform/context';
import { requireStaff } from '../../../platform/http';
import { ErrorResponse } from '../../../platform/openapi';
import { ADMINS } from '../../auth/auth-context';
import { channelStatus } from './channel-status';
import { saveProviderSettings } from './provider-settings-input';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };
const tags = ['settings'];

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Source = Type.Union([Type.Literal('env'), Type.Literal('admin'), Type.Literal('default'), Type.Literal('none')], {
  description: 'Where the value in use comes from: env (environment variable, wins), admin (saved from the admin screen), default, none',
});
const Setting = Type.Object({ variable: Type.String(), source: Source, value: Nullable(Type.String()), saved: Nullable(Type.String()) });
const Secret = Type.Object({ variable: Type.String(), source: Source, saved: Type.Boolean({ description: 'A value is saved (never returned)' }), unreadable: Type.Boolean({ description: 'Saved with another encryption key than this server’s' }) });
const MailServer = Type.Object({
  host: Type.String(),
  port: Type.Integer(),
  security: Type.Union([Type.Literal('tls'), Type.Literal('starttls'), Type.Literal('plain')]),
  user: Nullable(Type.String()),
  password: Type.Boolean({ description: 'A password is set (never returned)' }),
  mailbox: Nullable(Type.String()),
});
const MailServerView = Type.Object({ variable: Type.String(), source: Source, inUse: Nullable(MailServer), saved: Nullable(MailServer), unreadable: Type.Boolean() });
const ProviderMeta = {
  ignored: Type.Array(Type.String(), { description: 'Why the saved settings are not in use, if they are not' }),
  changed: Nullable(Type.Object({ at: Type.String(), by: Type.String() })),
};

const ChannelsView = Type.Object({
  publicUrl: Type.Object({ value: Type.String(), https: Type.Boolean(), local: Type.Boolean({ description: 'Providers cannot reach this address' }) }),
  secretsKey: Type.Union([Type.Literal('env'), Type.Literal('file')], { description: 'Where the key sealing saved secrets comes from: RELAIS_SETTINGS_KEY, or the data folder' }),
  email: Type.Object({
    outbound: Type.Boolean(),
    smtpInbound: Type.Boolean(),
    imap: Type.Boolean(),
    fromAddress: Type.String(),
    replyAddress: Type.String(),
    from: Setting,
    smtp: MailServerView,
    imapServer: MailServerView,
    inbound: Type.Object({ port: Nullable(Type.Integer()), listening: Nullable(Type.Integer()), host: Type.String(), domain: Type.String() }),
    maxBytes: Type.Integer(),
    ...ProviderMeta,
  }),
  whatsapp: Type.Object({
    configured: Type.Boolean(),
    phoneNumberId: Nullable(Type.String()),
    webhookUrl: Type.String(),
    setByEnvironment: Type.Boolean(),
    missing: Type.Array(Type.String()),
    settings: Type.Object({ phoneNumberId: Setting, apiUrl: Setting, appSecret: Secret, verifyToken: Secret, accessToken: Secret }),
    ...ProviderMeta,
  }),
  twilio: Type.Object({
    configured: Type.Boolean(),
    phoneNumber: Nullable(Type.String()),
    agentNumber: Nullable(Type.String()),
    voiceUrl: Type.String(),
    smsUrl: Type.String(),
    statusUrl: Type.String(),
    setByEnvironment: Type.Boolean(),
    missing: Type.Array(Type.String()),
    settings: Type.Object({ accountSid: Setting, phoneNumber: Setting, agentNumber: Setting, apiUrl: Setting, authToken: Secret }),
    ...ProviderMeta,
  }),
});

const secretInput = (description: string) => Type.Optional(Type.String({ maxLength: 4096, description: `${description}; absent: the saved one is kept` }));
const Host = Type.String({ minLength: 1, maxLength: 253 });
const Port = Type.Integer({ minimum: 1, maximum: 65535 });

const EmailBody = Type.Object(
  {
    from: Type.Optional(Nullable(Type.String({ maxLength: 320, description: 'EMAIL_FROM: "Hotline <support@exemple.fr>"' }))),
    smtp: Type.Optional(
      Nullable(
        Type.Object(
          {
            host: Host,
            port: Port,
            security: Type.Union([Type.Literal('tls'), Type.Literal('starttls')]),
            user: Type.Optional(Nullable(Type.String({ maxLength: 320 }))),
            password: secretInput('SMTP password'),
          },
          { additionalProperties: false, description: 'Becomes SMTP_URL' },
        ),
      ),
    ),
    imap: Type.Optional(
      Nullable(
        Type.Object(
          {
            host: Host,
            port: Port,
            security: Type.Union([Type.Literal('tls'), Type.Literal('plain')]),
            user: Type.String({ maxLength: 320 }),
            password: secretInput('Mailbox password'),
            mailbox: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
          },
          { additionalProperties: false, description: 'Becomes IMAP_URL' },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);
const WhatsAppBody = Type.Object(
  {
    phoneNumberId: Type.String({ maxLength: 40, description: 'WHATSAPP_PHONE_NUMBER_ID' }),
    apiUrl: Type.Optional(Nullable(Type.String({ maxLength: 500, description: 'WHATSAPP_API_URL' }))),
    appSecret: secretInput('WHATSAPP_APP_SECRET'),
    verifyToken: secretInput('WHATSAPP_VERIFY_TOKEN'),
    accessToken: secretInput('WHATSAPP_ACCESS_TOKEN'),
  },
  { additionalProperties: false },
);
const TwilioBody = Type.Object(
  {
    accountSid: Type.String({ maxLength: 64, description: 'TWILIO_ACCOUNT_SID' }),
    phoneNumber: Type.String({ maxLength: 40, description: 'TWILIO_PHONE_NUMBER' }),
    agentNumber: Type.Optional(Nullable(Type.String({ maxLength: 40, description: 'TWILIO_AGENT_NUMBER' }))),
    apiUrl: Type.Optional(Nullable(Type.String({ maxLength: 500, description: 'TWILIO_API_URL' }))),
    authToken: secretInput('TWILIO_AUTH_TOKEN'),
  },
  { additionalProperties: false },
);
const ProviderParam = Type.Object({ provider: Type.Union([Type.Literal('email'), Type.Literal('whatsapp'), Type.Literal('twilio')]) });

export function channelSettingsRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/settings/channels',
    {
      config: { access: ADMINS },
      schema: { tags, summary: 'Which channels work, the settings in use and where each comes from, and the webhook URLs to give the providers (never a secret)', response: { 200: ChannelsView, ...errors } },
    },
    () => channelStatus(ctx),
  );

  const put = <B extends TSchema>(provider: 'email' | 'whatsapp' | 'twilio', body: B, summary: string) =>
    app.put<{ Body: Static<B> }>(
      `/api/v1/settings/channels/${provider}`,
      { config: { access: ADMINS }, schema: { tags, summary, body, response: { 200: ChannelsView, ...errors } } },
      async (req) => {
        await saveProviderSettings(ctx, { provider, body: req.body } as Parameters<typeof saveProviderSettings>[1], requireStaff(req));
        return channelStatus(ctx);
      },
    );
  put('email', EmailBody, 'Save the email settings (EMAIL_FROM, SMTP_URL, IMAP_URL); environment variables take precedence; a password left out is kept');
  put('whatsapp', WhatsAppBody, 'Save the WhatsApp settings; environment variables take precedence; a secret left out is kept');
  put('twilio', TwilioBody, 'Save the Twilio settings (phone and SMS); environment variables take precedence; the auth token left out is kept');

  app.delete<{ Params: Static<typeof ProviderParam> }>(
    '/api/v1/settings/channels/:provider',
    { config: { access: ADMINS }, schema: { tags, summary: 'Remove the settings saved from the admin screen for one provider (environment variables stay)', params: ProviderParam, response: { 200: ChannelsView, ...errors } } },
    async (req) => {
      await saveProviderSettings(ctx, { provider: req.params.provider, body: null }, requireStaff(req));
      return channelStatus(ctx);
    },
  );
}
