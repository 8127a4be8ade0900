// A Meta webhook delivery of one text message, signed as Meta signs it (X-Hub-Signature-256 over the
// raw body): the benches' load generators send these.
import { createHmac } from 'node:crypto';

export function textMessagePayload(phoneId, id, wa, text) {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '33123456789', phone_number_id: phoneId },
              contacts: [{ profile: { name: `Client ${wa.slice(-4)}` }, wa_id: wa }],
              messages: [{ from: wa, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
            },
          },
        ],
      },
    ],
  });
}

/** The body and its signature header. */
export function signedTextMessage(secret, phoneId, id, wa, text) {
  const body = textMessagePayload(phoneId, id, wa, text);
  return { body, signature: `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` };
}
