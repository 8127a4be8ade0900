import { Type, type Static } from 'typebox';
import { CHANNELS } from '../../../../common/src/tickets';

const Channel = Type.Unsafe<(typeof CHANNELS)[number]>({ type: 'string', enum: [...CHANNELS] });

export const ContactInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    phones: Type.Optional(Type.Array(Type.String({ minLength: 3, maxLength: 40 }), { maxItems: 10 })),
    emails: Type.Optional(Type.Array(Type.String({ minLength: 3, maxLength: 254 }), { maxItems: 10 })),
    phone: Type.Optional(Type.String({ minLength: 3, maxLength: 40 })),
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
    whatsappId: Type.Optional(Type.String({ minLength: 3, maxLength: 40 })),
    preferredChannel: Type.Optional(Channel),
    notes: Type.Optional(Type.String({ maxLength: 10000 })),
    trainedOn: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 })),
    auditCompletedAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type ContactInput = Static<typeof ContactInput>;

export const ContactPatch = Type.Partial(ContactInput, { additionalProperties: false });
export type ContactPatch = Static<typeof ContactPatch>;

export const ContactView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  phones: Type.Array(Type.String()),
  emails: Type.Array(Type.String()),
  whatsappId: Type.Union([Type.String(), Type.Null()]),
  preferredChannel: Type.Union([Channel, Type.Null()]),
  notes: Type.String(),
  trainedOn: Type.Array(Type.String()),
  auditCompletedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export type ContactView = Static<typeof ContactView>;

export const ContactQuery = Type.Object(
  {
    phone: Type.Optional(Type.String({ minLength: 3, maxLength: 40 })),
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);
