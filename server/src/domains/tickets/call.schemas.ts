import { Type, type Static } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const CallDirection = Type.Union([Type.Literal('inbound'), Type.Literal('outbound')], { description: 'inbound: the client called the hotline; outbound: the agent called the client' });

export const RecordCallInput = Type.Object(
  {
    startedAt: Type.String({ format: 'date-time', description: 'When the call started (the console timer)' }),
    endedAt: Type.String({ format: 'date-time', description: 'When it ended: after startedAt, not in the future, at most 4 hours later' }),
    direction: CallDirection,
    phone: Type.Optional(Type.String({ minLength: 3, maxLength: 40, description: 'The client’s number on this call; default: the contact’s first phone' })),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 5000, description: 'What was said, in a few words' })),
  },
  { additionalProperties: false },
);
export type RecordCallInput = Static<typeof RecordCallInput>;

export const CallView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  source: Type.String({ description: 'ivr (through the phone menu) or console (timed by an agent)' }),
  direction: Type.String({ description: 'inbound or outbound' }),
  phone: Nullable(Type.String({ description: 'The client’s number (E.164) when known' })),
  staff: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  outcome: Type.String({ description: 'IVR: queued, callback, voicemail…; console: completed' }),
  status: Nullable(Type.String({ description: 'Provider status (completed, busy, no-answer…)' })),
  startedAt: Type.String({ format: 'date-time' }),
  endedAt: Nullable(Type.String({ format: 'date-time' })),
  durationSeconds: Nullable(Type.Integer()),
  recordingUrl: Nullable(Type.String()),
  note: Nullable(Type.String()),
});
export type CallView = Static<typeof CallView>;
