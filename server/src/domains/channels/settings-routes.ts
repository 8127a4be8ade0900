import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../platform/context';
import { ErrorResponse } from '../../platform/openapi';
import { ADMINS, DESK_STAFF } from '../auth/auth-context';
import { QUICK_REPLY_PAYLOADS, WHATSAPP_LANGUAGE, WHATSAPP_TEMPLATE_NAME } from '../../../../common/src/message-templates';
import { templateExamples, whatsappReplyButtons } from './outbound/template-examples';
import { DEFAULT_TEMPLATES, loadTemplates, saveTemplates, TEMPLATE_INFO, TEMPLATE_KEYS } from './outbound/templates';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 422: ErrorResponse };
const tags = ['settings'];

const WhatsAppTemplate = Type.Object(
  {
    name: Type.String({ pattern: WHATSAPP_TEMPLATE_NAME.source, description: 'Name of the template approved by Meta' }),
    language: Type.String({ pattern: WHATSAPP_LANGUAGE.source, description: 'e.g. fr' }),
    params: Type.Array(Type.String({ pattern: '^[a-zA-Z_]{1,40}$' }), { maxItems: 10, description: 'Variables sent as {{1}}, {{2}}…' }),
    quickReplies: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 128 }), {
        maxItems: 10,
        description: `Payloads of the template’s quick-reply buttons, in order: ${QUICK_REPLY_PAYLOADS.join(', ')} (rating:N answers the satisfaction question, callback asks for a callback)`,
      }),
    ),
  },
  { additionalProperties: false },
);

const TemplateInput = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 300 }),
    text: Type.String({ minLength: 1, maxLength: 5000 }),
    whatsapp: Type.Optional(Type.Union([WhatsAppTemplate, Type.Null()])),
  },
  { additionalProperties: false },
);

const TemplateView = Type.Object({
  key: Type.String(),
  label: Type.String(),
  variables: Type.Array(Type.String()),
  subject: Type.String(),
  text: Type.String(),
  whatsapp: Type.Union([WhatsAppTemplate, Type.Null()]),
  isDefault: Type.Boolean(),
  default: Type.Object({ subject: Type.String(), text: Type.String() }, { description: 'What restoring the default puts back' }),
  examples: Type.Record(Type.String(), Type.Record(Type.String(), Type.String()), { description: 'Sample values of the variables per channel (email, sms, whatsapp), for a preview' }),
  replyButtons: Type.Array(Type.String(), { description: 'Reply buttons sent under the WhatsApp message within the 24-hour window' }),
});

const TemplatesPut = Type.Object(
  {
    templates: Type.Record(Type.String({ pattern: `^(${TEMPLATE_KEYS.join('|')})$` }), Type.Union([TemplateInput, Type.Null()]), {
      description: 'Templates to replace; null puts the default back',
    }),
  },
  { additionalProperties: false },
);

export function templateSettingsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const list = async () => {
    const all = await loadTemplates(ctx.db);
    return {
      items: TEMPLATE_KEYS.map((key) => ({
        key,
        ...TEMPLATE_INFO[key],
        ...all[key],
        default: { subject: DEFAULT_TEMPLATES[key].subject, text: DEFAULT_TEMPLATES[key].text },
        examples: templateExamples(ctx.config, key),
        replyButtons: whatsappReplyButtons(key),
      })),
    };
  };

  app.get(
    '/api/v1/settings/templates',
    { config: { access: DESK_STAFF }, schema: { tags, summary: 'Messages sent to clients (French templates with {{variables}})', response: { 200: Type.Object({ items: Type.Array(TemplateView) }), ...errors } } },
    list,
  );

  app.put<{ Body: Static<typeof TemplatesPut> }>(
    '/api/v1/settings/templates',
    { config: { access: ADMINS }, schema: { tags, summary: 'Edit client message templates (null restores the default)', body: TemplatesPut, response: { 200: Type.Object({ items: Type.Array(TemplateView) }), ...errors } } },
    async (req) => {
      await saveTemplates(ctx.db, req.body.templates);
      // The senders read templates from the config cache: this node forgets them now, without
      // waiting for its own NOTIFY (the other nodes forget at theirs).
      ctx.cache.clear();
      return list();
    },
  );

}
