import { Type, type Static } from 'typebox';

/*
 * Shape of Meta's WhatsApp Cloud API `messages` webhook, as documented in
 * developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages.
 *
 * Only what the normaliser reads is typed. Objects stay open (extra keys allowed) because Meta
 * adds fields without notice (identity_key_hash, user_id/BSUID, pricing changes…) and a new key
 * must not make us drop a customer's message.
 */

const Str = Type.String();
const OptStr = Type.Optional(Type.String());
// Meta documents numeric timestamps as strings, but tolerating a number costs nothing.
const Timestamp = Type.Union([Type.String(), Type.Number()]);

export const WhatsAppErrorSchema = Type.Object({
  code: Type.Number(),
  title: OptStr,
  message: OptStr,
  // Older payloads put `details` at top level; current ones nest it in `error_data`.
  details: OptStr,
  error_data: Type.Optional(Type.Object({ details: OptStr })),
  href: OptStr,
});

const MediaSchema = Type.Object({
  id: Str,
  mime_type: OptStr,
  sha256: OptStr,
  caption: OptStr,
  filename: OptStr,
  voice: Type.Optional(Type.Boolean()),
  animated: Type.Optional(Type.Boolean()),
});

const Coordinate = Type.Union([Type.Number(), Type.String()]);

const SharedContactSchema = Type.Object({
  name: Type.Optional(
    Type.Object({ formatted_name: OptStr, first_name: OptStr, last_name: OptStr }),
  ),
  phones: Type.Optional(Type.Array(Type.Object({ phone: OptStr, wa_id: OptStr, type: OptStr }))),
  emails: Type.Optional(Type.Array(Type.Object({ email: OptStr, type: OptStr }))),
  org: Type.Optional(Type.Object({ company: OptStr })),
});

export const WhatsAppMessageSchema = Type.Object({
  id: Str,
  timestamp: Timestamp,
  type: Str,
  // Absent for users who enabled WhatsApp usernames; then only the business-scoped user id is sent.
  from: OptStr,
  from_user_id: OptStr,
  context: Type.Optional(
    Type.Object({
      id: OptStr,
      from: OptStr,
      forwarded: Type.Optional(Type.Boolean()),
      frequently_forwarded: Type.Optional(Type.Boolean()),
    }),
  ),
  errors: Type.Optional(Type.Array(WhatsAppErrorSchema)),
  text: Type.Optional(Type.Object({ body: Str })),
  image: Type.Optional(MediaSchema),
  document: Type.Optional(MediaSchema),
  audio: Type.Optional(MediaSchema),
  video: Type.Optional(MediaSchema),
  sticker: Type.Optional(MediaSchema),
  location: Type.Optional(
    Type.Object({ latitude: Coordinate, longitude: Coordinate, name: OptStr, address: OptStr, url: OptStr }),
  ),
  contacts: Type.Optional(Type.Array(SharedContactSchema)),
  interactive: Type.Optional(
    Type.Object({
      type: Str,
      button_reply: Type.Optional(Type.Object({ id: Str, title: Str })),
      list_reply: Type.Optional(Type.Object({ id: Str, title: Str, description: OptStr })),
      nfm_reply: Type.Optional(Type.Object({ name: OptStr, body: OptStr, response_json: OptStr })),
    }),
  ),
  button: Type.Optional(Type.Object({ text: Str, payload: OptStr })),
  reaction: Type.Optional(Type.Object({ message_id: Str, emoji: OptStr })),
  system: Type.Optional(Type.Object({ body: OptStr, type: OptStr })),
});

export const WhatsAppStatusSchema = Type.Object({
  id: Str,
  status: Str,
  timestamp: Timestamp,
  recipient_id: OptStr,
  recipient_type: OptStr,
  biz_opaque_callback_data: OptStr,
  errors: Type.Optional(Type.Array(WhatsAppErrorSchema)),
  conversation: Type.Optional(
    Type.Object({ id: OptStr, origin: Type.Optional(Type.Object({ type: OptStr })) }),
  ),
  pricing: Type.Optional(Type.Object({ category: OptStr, pricing_model: OptStr, billable: Type.Optional(Type.Boolean()) })),
});

export const WhatsAppChangeValueSchema = Type.Object({
  messaging_product: OptStr,
  metadata: Type.Optional(Type.Object({ display_phone_number: OptStr, phone_number_id: Str })),
  contacts: Type.Optional(
    Type.Array(
      Type.Object({
        profile: Type.Optional(Type.Object({ name: OptStr })),
        wa_id: OptStr,
        user_id: OptStr,
      }),
    ),
  ),
  // Items are checked one by one so that one odd message does not hide the others.
  messages: Type.Optional(Type.Array(Type.Unknown())),
  statuses: Type.Optional(Type.Array(Type.Unknown())),
  errors: Type.Optional(Type.Array(WhatsAppErrorSchema)),
});

export const WhatsAppWebhookSchema = Type.Object({
  object: Type.Literal('whatsapp_business_account'),
  entry: Type.Array(
    Type.Object({
      id: Str,
      changes: Type.Array(
        Type.Object({
          field: Str,
          // Other subscribed fields (template status, account updates…) carry unrelated
          // shapes; only `messages` values are validated, in the parser.
          value: Type.Unknown(),
        }),
      ),
    }),
  ),
});

export type WhatsAppWebhookBody = Static<typeof WhatsAppWebhookSchema>;
export type WhatsAppChangeValue = Static<typeof WhatsAppChangeValueSchema>;
export type RawWhatsAppMessage = Static<typeof WhatsAppMessageSchema>;
export type RawWhatsAppStatus = Static<typeof WhatsAppStatusSchema>;
export type RawWhatsAppError = Static<typeof WhatsAppErrorSchema>;
