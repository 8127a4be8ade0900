import { Type } from 'typebox';
import { ErrorResponse } from '../../platform/openapi';

/*
 * Request bodies check types only (and generous size caps): what a person can get wrong
 * (an empty name, a bad phone number) is checked in the service, with French messages for people.
 */

export const NewRequestBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 1000 })),
    phone: Type.Optional(Type.String({ maxLength: 100 })),
    email: Type.Optional(Type.String({ maxLength: 1000 })),
    description: Type.Optional(Type.String({ maxLength: 100_000 })),
    category: Type.Optional(Type.String({ maxLength: 1000 })),
    urgent: Type.Optional(Type.Boolean()),
    altcha: Type.Optional(Type.String({ maxLength: 20_000 })),
  },
  { additionalProperties: false },
);

export const MagicLinkBody = Type.Object(
  { email: Type.Optional(Type.String({ maxLength: 1000 })), phone: Type.Optional(Type.String({ maxLength: 100 })) },
  { additionalProperties: false },
);

export const SessionBody = Type.Object({ token: Type.String({ maxLength: 500 }) }, { additionalProperties: false });
export const ReplyBody = Type.Object({ body: Type.String({ maxLength: 100_000 }) }, { additionalProperties: false });
export const RatingBody = Type.Object({ score: Type.Integer(), comment: Type.Optional(Type.String({ maxLength: 100_000 })) }, { additionalProperties: false });
export const ReopenBody = Type.Object({ reason: Type.String({ maxLength: 100_000 }) }, { additionalProperties: false });

export const NumberParam = Type.Object({ number: Type.String({ maxLength: 64 }) });
export const AttachmentParam = Type.Object({ number: Type.String({ maxLength: 64 }), id: Type.String({ maxLength: 64 }) });

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const PortalAttachment = Type.Object({ id: Type.String(), filename: Type.String(), contentType: Type.String(), sizeBytes: Type.Integer() });

export const PortalMessage = Type.Object({
  id: Type.String(),
  from: Type.Union([Type.Literal('me'), Type.Literal('adviser')]),
  authorName: Type.String(),
  body: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  attachments: Type.Array(PortalAttachment),
});

export const NewRequestAnswer = Type.Object({
  number: Type.String(),
  status: Type.String(),
  step: Type.Integer(),
  verificationCode: Type.String(),
  portalToken: Type.String(),
  sentTo: Nullable(Type.Union([Type.Literal('email'), Type.Literal('sms'), Type.Literal('whatsapp')])),
  firstInstructions: Type.Optional(Type.Array(Type.String())),
});

export const RequestSummary = Type.Object({
  number: Type.String(),
  subject: Type.String(),
  status: Type.String(),
  statusLabel: Type.String(),
  step: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  rated: Type.Boolean(),
});

export const RequestDetail = Type.Object({
  number: Type.String(),
  subject: Type.String(),
  description: Type.String(),
  status: Type.String(),
  statusLabel: Type.String(),
  step: Type.Integer(),
  steps: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), done: Type.Boolean(), current: Type.Boolean() })),
  verificationCode: Type.String(),
  messages: Type.Array(PortalMessage),
  attachments: Type.Array(PortalAttachment),
  canReply: Type.Boolean(),
  canRate: Type.Boolean(),
  canReopen: Type.Boolean(),
  rating: Nullable(Type.Object({ score: Type.Integer(), comment: Nullable(Type.String()) })),
  cyberEmergency: Type.Boolean(),
  possibleEmergency: Type.Boolean(),
  answeredAt: Nullable(Type.String({ format: 'date-time', description: 'When an adviser first answered: a written reply or a phone call' })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const SessionAnswer = Type.Object({ contact: Type.Object({ name: Type.String() }) });
export const CurrentSession = Type.Object({ contact: Type.Object({ name: Type.String() }), scope: Type.Union([Type.Literal('all'), Type.Literal('requests')]) });

export const InfoAnswer = Type.Object({
  hotlinePhone: Nullable(Type.String()),
  whatsappNumber: Nullable(Type.String()),
  hours: Type.Object({
    open: Type.Boolean(),
    closesAt: Nullable(Type.String()),
    nextOpenAt: Nullable(Type.String()),
    todaySlots: Type.Array(Type.Object({ start: Type.String(), end: Type.String() })),
    holidayToday: Nullable(Type.String()),
    label: Type.String(),
    timezone: Type.String(),
    queue: Type.String(),
  }),
  firstInstructions: Type.Array(Type.String()),
});

export const portalErrors = {
  400: ErrorResponse,
  401: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  410: ErrorResponse,
  413: ErrorResponse,
  422: ErrorResponse,
  429: ErrorResponse,
};
