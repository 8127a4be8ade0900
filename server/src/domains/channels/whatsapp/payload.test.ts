import { describe, expect, it } from 'vitest';
import { parseWhatsAppWebhook, type InboundWhatsAppMessage } from './payload';

// Envelopes follow the examples of Meta's "messages webhook reference"
// (developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/*).
const METADATA = { display_phone_number: '15550783881', phone_number_id: '106540352242922' };
const CONTACTS = [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }];

function envelope(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [{ value: { messaging_product: 'whatsapp', metadata: METADATA, ...value }, field: 'messages' }],
      },
    ],
  };
}

function inboundOne(message: Record<string, unknown>): InboundWhatsAppMessage {
  const result = parseWhatsAppWebhook(
    envelope({ contacts: CONTACTS, messages: [{ from: '16505551234', timestamp: '1749416383', ...message }] }),
  );
  if (!result.ok) throw new Error(result.error);
  expect(result.problems).toEqual([]);
  expect(result.inbound).toHaveLength(1);
  return result.inbound[0]!;
}

describe('parseWhatsAppWebhook — inbound messages', () => {
  it('normalises a text message (documented example)', () => {
    const m = inboundOne({
      id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
      type: 'text',
      text: { body: 'Does it come in another color?' },
    });
    expect(m).toMatchObject({
      providerMessageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
      phoneNumberId: '106540352242922',
      from: '+16505551234',
      profileName: 'Sheena Nelson',
      kind: 'text',
      text: 'Does it come in another color?',
      errors: [],
    });
    expect(m.timestamp.toISOString()).toBe('2025-06-08T20:59:43.000Z');
    expect(m.media).toBeUndefined();
  });

  it('keeps the caption and media reference of an image', () => {
    const m = inboundOne({
      id: 'wamid.img',
      type: 'image',
      image: { caption: 'Le compteur', mime_type: 'image/jpeg', sha256: 'ZhE1...=', id: '1003383421387256' },
    });
    expect(m.kind).toBe('image');
    expect(m.text).toBe('Le compteur');
    expect(m.media).toEqual({ id: '1003383421387256', mimeType: 'image/jpeg', sha256: 'ZhE1...=' });
  });

  it('keeps the file name of a document', () => {
    const m = inboundOne({
      id: 'wamid.doc',
      type: 'document',
      document: { filename: 'facture-2026-118.pdf', mime_type: 'application/pdf', sha256: 'abc', id: '4321' },
    });
    expect(m.kind).toBe('document');
    expect(m.text).toBeNull();
    expect(m.media).toEqual({ id: '4321', mimeType: 'application/pdf', sha256: 'abc', filename: 'facture-2026-118.pdf' });
  });

  it('tells voice notes (`voice: true`) from plain audio files', () => {
    const voice = inboundOne({ id: 'wamid.v', type: 'audio', audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'h', id: '11', voice: true } });
    const audio = inboundOne({ id: 'wamid.a', type: 'audio', audio: { mime_type: 'audio/mpeg', sha256: 'h', id: '12', voice: false } });
    expect(voice.kind).toBe('voice');
    expect(voice.media?.mimeType).toBe('audio/ogg; codecs=opus');
    expect(audio.kind).toBe('audio');
  });

  it('maps video and sticker', () => {
    expect(inboundOne({ id: 'wamid.vid', type: 'video', video: { mime_type: 'video/mp4', id: '21', caption: 'fuite' } })).toMatchObject({
      kind: 'video',
      text: 'fuite',
      media: { id: '21', mimeType: 'video/mp4' },
    });
    expect(
      inboundOne({ id: 'wamid.st', type: 'sticker', sticker: { mime_type: 'image/webp', sha256: 's', id: '22', animated: false } }),
    ).toMatchObject({ kind: 'sticker', text: null, media: { id: '22', mimeType: 'image/webp' } });
  });

  it('maps a location with its description', () => {
    const m = inboundOne({
      id: 'wamid.loc',
      type: 'location',
      location: { address: '1 Hacker Way, Menlo Park, CA 94025', latitude: 37.483307, longitude: -122.148981, name: 'Main Street Beach' },
    });
    expect(m.kind).toBe('location');
    expect(m.text).toBe('Main Street Beach, 1 Hacker Way, Menlo Park, CA 94025');
    expect(m.location).toEqual({
      latitude: 37.483307,
      longitude: -122.148981,
      name: 'Main Street Beach',
      address: '1 Hacker Way, Menlo Park, CA 94025',
    });
  });

  it('summarises shared contacts', () => {
    const m = inboundOne({
      id: 'wamid.ct',
      type: 'contacts',
      contacts: [
        {
          name: { formatted_name: 'Barbara Johnson', first_name: 'Barbara', last_name: 'Johnson' },
          phones: [{ phone: '+1 (940) 555-1234', wa_id: '19405551234', type: 'HOME' }],
          emails: [{ email: 'bjohnson@example.com', type: 'HOME' }],
        },
      ],
    });
    expect(m.kind).toBe('contacts');
    expect(m.contacts).toEqual([{ name: 'Barbara Johnson', phones: ['+1 (940) 555-1234'], emails: ['bjohnson@example.com'] }]);
    expect(m.text).toBe('Barbara Johnson +1 (940) 555-1234 bjohnson@example.com');
  });

  it('maps interactive button_reply and list_reply with the context message', () => {
    const button = inboundOne({
      id: 'wamid.br',
      type: 'interactive',
      context: { from: '15550783881', id: 'wamid.sent-by-us' },
      interactive: { type: 'button_reply', button_reply: { id: 'rappel-oui', title: 'Oui, rappelez-moi' } },
    });
    expect(button).toMatchObject({
      kind: 'interactive_reply',
      text: 'Oui, rappelez-moi',
      reply: { id: 'rappel-oui', title: 'Oui, rappelez-moi' },
      contextMessageId: 'wamid.sent-by-us',
    });

    const list = inboundOne({
      id: 'wamid.lr',
      type: 'interactive',
      context: { from: '15550783881', id: 'wamid.list' },
      interactive: { type: 'list_reply', list_reply: { id: 'priority_express', title: 'Express', description: 'Sous 24 h' } },
    });
    expect(list.reply).toEqual({ id: 'priority_express', title: 'Express', description: 'Sous 24 h' });
  });

  it('maps a template quick-reply `button` to button_reply', () => {
    const m = inboundOne({
      id: 'wamid.btn',
      type: 'button',
      context: { from: '15550783881', id: 'wamid.template' },
      button: { payload: 'STOP_PROMOS', text: 'Stop promotions' },
    });
    expect(m).toMatchObject({
      kind: 'button_reply',
      text: 'Stop promotions',
      reply: { id: 'STOP_PROMOS', title: 'Stop promotions' },
      contextMessageId: 'wamid.template',
    });
  });

  it('maps reactions, including a removed reaction (no emoji)', () => {
    const added = inboundOne({ id: 'wamid.r1', type: 'reaction', reaction: { message_id: 'wamid.ours', emoji: '\u{1F44D}' } });
    expect(added).toMatchObject({
      kind: 'reaction',
      text: '\u{1F44D}',
      reaction: { messageId: 'wamid.ours', emoji: '\u{1F44D}' },
      contextMessageId: 'wamid.ours',
    });
    const removed = inboundOne({ id: 'wamid.r2', type: 'reaction', reaction: { message_id: 'wamid.ours' } });
    expect(removed.reaction).toEqual({ messageId: 'wamid.ours', emoji: null });
  });

  it('keeps unsupported types as unknown with Meta errors', () => {
    const m = inboundOne({
      id: 'wamid.un',
      type: 'unsupported',
      unsupported: { type: 'edit' },
      errors: [
        {
          code: 131051,
          title: 'Message type unknown',
          message: 'Message type unknown',
          error_data: { details: 'Message type is currently not supported.' },
        },
      ],
    });
    expect(m.kind).toBe('unknown');
    expect(m.providerType).toBe('unsupported');
    expect(m.errors).toEqual([
      { code: 131051, title: 'Message type unknown', message: 'Message type unknown', details: 'Message type is currently not supported.' },
    ]);
  });

  it('reads the older `type: unknown` shape with top-level details', () => {
    const m = inboundOne({
      id: 'wamid.old',
      type: 'unknown',
      errors: [{ code: 131051, details: 'Message type is not currently supported', title: 'Unsupported message type' }],
    });
    expect(m.kind).toBe('unknown');
    expect(m.errors[0]?.details).toBe('Message type is not currently supported');
  });

  it('never drops a message whose content does not match the documented shape', () => {
    const result = parseWhatsAppWebhook(
      envelope({ contacts: CONTACTS, messages: [{ from: '16505551234', id: 'wamid.odd', timestamp: '1749416383', type: 'text', text: { body: 42 } }] }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.inbound[0]).toMatchObject({ providerMessageId: 'wamid.odd', kind: 'unknown', text: null, from: '+16505551234' });
  });

  it('reports (without throwing) an item that has no id', () => {
    const result = parseWhatsAppWebhook(envelope({ messages: [{ type: 'text', text: { body: 'x' } }] }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.inbound).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toContain('/entry/0/changes/0/value/messages/0');
  });

  it('matches the profile name by wa_id when several contacts are present', () => {
    const result = parseWhatsAppWebhook(
      envelope({
        contacts: [
          { profile: { name: 'Alice' }, wa_id: '33611111111' },
          { profile: { name: 'Bruno' }, wa_id: '33622222222' },
        ],
        messages: [
          { from: '33622222222', id: 'wamid.1', timestamp: '1700000000', type: 'text', text: { body: 'bonjour' } },
          { from: '33611111111', id: 'wamid.2', timestamp: '1700000001', type: 'text', text: { body: 'salut' } },
        ],
      }),
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.inbound.map((m) => [m.from, m.profileName])).toEqual([
      ['+33622222222', 'Bruno'],
      ['+33611111111', 'Alice'],
    ]);
  });

  it('handles username users who only have a business-scoped id', () => {
    const result = parseWhatsAppWebhook(
      envelope({
        contacts: [{ profile: { name: 'Muhsin' }, user_id: 'IN.2081978709342942' }],
        messages: [{ from_user_id: 'IN.2081978709342942', id: 'wamid.b', timestamp: '1778579583', type: 'text', text: { body: 'hi' } }],
      }),
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.inbound[0]).toMatchObject({ from: null, fromUserId: 'IN.2081978709342942', profileName: 'Muhsin' });
  });
});

describe('parseWhatsAppWebhook — statuses', () => {
  it('normalises sent / delivered / read', () => {
    const result = parseWhatsAppWebhook(
      envelope({
        statuses: [
          {
            id: 'wamid.out1',
            status: 'sent',
            timestamp: '1750263773',
            recipient_id: '16505551234',
            conversation: { id: 'conv-1', origin: { type: 'service' } },
            pricing: { billable: false, pricing_model: 'PMP', category: 'service' },
          },
          { id: 'wamid.out1', status: 'delivered', timestamp: '1750263774', recipient_id: '16505551234' },
          { id: 'wamid.out1', status: 'read', timestamp: '1750263775', recipient_id: '16505551234' },
        ],
      }),
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.inbound).toEqual([]);
    expect(result.statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
    expect(result.statuses[0]).toMatchObject({
      providerMessageId: 'wamid.out1',
      recipient: '+16505551234',
      phoneNumberId: '106540352242922',
      pricingCategory: 'service',
      conversationId: 'conv-1',
      errors: [],
    });
    expect(result.statuses[2]?.timestamp.getTime()).toBe(1750263775000);
  });

  it('exposes failure codes, e.g. 131047 outside the 24 h window', () => {
    const result = parseWhatsAppWebhook(
      envelope({
        statuses: [
          {
            id: 'wamid.out2',
            status: 'failed',
            timestamp: '1750263800',
            recipient_id: '16505551234',
            errors: [
              {
                code: 131047,
                title: 'Re-engagement message',
                message: 'Re-engagement message',
                error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
                href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
              },
            ],
          },
        ],
      }),
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.statuses[0]?.status).toBe('failed');
    expect(result.statuses[0]?.errors).toEqual([
      {
        code: 131047,
        title: 'Re-engagement message',
        message: 'Re-engagement message',
        details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      },
    ]);
  });

  it('collects account-level errors from value.errors', () => {
    const result = parseWhatsAppWebhook(
      envelope({ errors: [{ code: 130429, title: 'Rate limit hit', message: '(#130429) Rate limit hit', error_data: { details: 'Cloud API message throughput has been reached.' } }] }),
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.errors).toEqual([
      { code: 130429, title: 'Rate limit hit', message: '(#130429) Rate limit hit', details: 'Cloud API message throughput has been reached.' },
    ]);
  });
});

describe('parseWhatsAppWebhook — envelope', () => {
  it('rejects bodies that are not WhatsApp Business Account webhooks', () => {
    expect(parseWhatsAppWebhook({ object: 'page', entry: [] })).toMatchObject({ ok: false });
    expect(parseWhatsAppWebhook(null)).toMatchObject({ ok: false });
    expect(parseWhatsAppWebhook('{"object":"whatsapp_business_account"}')).toMatchObject({ ok: false });
    const missingChanges = parseWhatsAppWebhook({ object: 'whatsapp_business_account', entry: [{ id: '1' }] });
    expect(missingChanges.ok).toBe(false);
    if (!missingChanges.ok) expect(missingChanges.error).toContain('/entry/0');
  });

  it('ignores other subscribed fields', () => {
    const result = parseWhatsAppWebhook({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '1',
          changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED', message_template_id: 1, message_template_name: 'relance' } }],
        },
      ],
    });
    expect(result).toEqual({ ok: true, inbound: [], statuses: [], errors: [], problems: [] });
  });
});
