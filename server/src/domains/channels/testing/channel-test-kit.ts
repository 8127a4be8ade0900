import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { startTestEnv, type TestEnv } from '../../../../../test/helpers/app';
import { call } from '../../../../../test/helpers/http';
import { startFakeGraph, type FakeGraph } from './fake-graph';
import { startFakeServer, type FakeServer, type RecordedRequest } from './fake-server';

/** Small helpers shared by the channel tests that drive replies, files and ratings end to end. */

export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f60000000049454e44ae426082', 'hex');
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
export const GIF = Buffer.from('47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b', 'hex');
/** A JPEG header followed by padding: enough for the type to be sniffed, at the size wanted. */
export const jpegOfSize = (bytes: number) => Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(Math.max(0, bytes - 20), 0x20)]);

/** A signed `POST /webhooks/whatsapp` (X-Hub-Signature-256 over the exact bytes). */
export async function postWhatsApp(env: Pick<TestEnv, 'relais'>, secret: string, body: unknown) {
  const raw = JSON.stringify(body);
  const signature = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
  return env.relais.app.inject({ method: 'POST', url: '/webhooks/whatsapp', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, payload: raw });
}

/** The envelope Meta documents for the `messages` field. */
export function waEnvelope(phoneNumberId: string, value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '33123456789', phone_number_id: phoneNumberId }, ...value } }] }],
  };
}

export const waTs = () => String(Math.floor(Date.now() / 1000));

export function waText(phoneNumberId: string, id: string, wa: string, body: string, name = 'Josette Martin') {
  return waEnvelope(phoneNumberId, { contacts: [{ profile: { name }, wa_id: wa }], messages: [{ from: wa, id, timestamp: waTs(), type: 'text', text: { body } }] });
}

/** Uploads files to a ticket through the API (multipart, field "file"), as the console does. */
export async function uploadFiles(env: TestEnv, auth: Record<string, string>, ref: string, files: { name: string; bytes: Buffer; type?: string }[]) {
  const form = new FormData();
  for (const f of files) form.append('file', new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'application/octet-stream' }), f.name);
  const req = new Request('http://relais.test/', { method: 'POST', body: form });
  const res = await env.relais.app.inject({
    method: 'POST',
    url: `/api/v1/tickets/${ref}/attachments`,
    headers: { ...auth, 'content-type': req.headers.get('content-type')! },
    payload: Buffer.from(await req.arrayBuffer()),
  });
  return { status: res.statusCode, body: JSON.parse(res.body) as { items: { id: string; filename: string; contentType: string }[]; error?: { code: string; message: string } } };
}

export interface ApiMessage {
  id: string;
  body: string;
  direction: string | null;
  delivery: { status: string; error: string | null } | null;
  attachments: { id: string; filename: string; contentType: string; sizeBytes: number }[];
}

export async function apiMessages(env: TestEnv, ref: string): Promise<ApiMessage[]> {
  return (await call(env.relais.app, 'GET', `/api/v1/tickets/${ref}/messages`, { auth: env.staff.n1.auth })).body.items as ApiMessage[];
}

/** A mail server receiving what Relais sends (a smarthost). */
export interface Outbox {
  port: number;
  mails: ParsedMail[];
  close(): Promise<void>;
}

export async function startOutbox(): Promise<Outbox> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, cb) {
      simpleParser(stream).then(
        (m) => {
          mails.push(m);
          cb();
        },
        (err: Error) => cb(err),
      );
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.server.address() as AddressInfo).port, mails, close: () => new Promise((r) => server.close(() => r())) };
}

/** Twilio's 2010-04-01 Messages API as documented: basic auth, form-encoded body, JSON answer. */
export function twilioMessagesApi(sid: string, authToken: string) {
  let count = 0;
  const basic = `Basic ${Buffer.from(`${sid}:${authToken}`).toString('base64')}`;
  return (req: RecordedRequest) => {
    if (req.headers.authorization !== basic) return { status: 401, body: { code: 20003, message: 'Authenticate', status: 401 } };
    if (req.method === 'POST' && req.path === `/2010-04-01/Accounts/${sid}/Messages.json`) {
      const f = req.form!;
      if (!f.get('To') || !f.get('Body') || (!f.get('From') && !f.get('MessagingServiceSid'))) return { status: 400, body: { code: 21604, message: "A 'To' phone number is required.", status: 400 } };
      return { status: 201, body: { sid: `SM${String(++count).padStart(32, '0')}`, status: 'queued', to: f.get('To'), from: f.get('From'), body: f.get('Body') } };
    }
    return { status: 404, body: { code: 20404, message: 'The requested resource was not found', status: 404 } };
  };
}

/** A WhatsApp business number as a test gives it to Relais. */
export interface WhatsAppAccount {
  secret: string;
  token: string;
  phoneNumberId: string;
  verifyToken?: string;
}
/** A Twilio account as a test gives it to Relais; the number is the hotline's. */
export interface TwilioAccount {
  sid: string;
  authToken: string;
  phoneNumber?: string;
}

/** The WhatsApp variables of a test server whose Graph API (Meta's, faked) answers at `graphUrl`. */
export const whatsappVariables = (a: WhatsAppAccount, graphUrl: string) => ({
  WHATSAPP_APP_SECRET: a.secret,
  WHATSAPP_VERIFY_TOKEN: a.verifyToken ?? 'verify-me',
  WHATSAPP_ACCESS_TOKEN: a.token,
  WHATSAPP_PHONE_NUMBER_ID: a.phoneNumberId,
  WHATSAPP_API_URL: `${graphUrl}/v21.0`,
});
/** The Twilio variables of a test server whose Twilio API (faked) answers at `apiUrl`. */
export const twilioVariables = (a: TwilioAccount, apiUrl: string) => ({
  TWILIO_ACCOUNT_SID: a.sid,
  TWILIO_AUTH_TOKEN: a.authToken,
  TWILIO_API_URL: apiUrl,
  TWILIO_PHONE_NUMBER: a.phoneNumber ?? '+33159000000',
});
/** The email variables of a test server that sends through `outbox`. */
export const emailVariables = (outbox: Outbox) => ({ EMAIL_FROM: 'Hotline <support@numi.test>', SMTP_URL: `smtp://127.0.0.1:${outbox.port}` });

interface ChannelOptions {
  whatsapp?: WhatsAppAccount;
  twilio?: TwilioAccount;
  email?: boolean;
  /** The test's other variables (RELAIS_JOBS, PUBLIC_URL…). */
  env?: Record<string, string>;
}
type Closable = { close(): Promise<void> };
export type ChannelTestEnv<O extends ChannelOptions> = {
  env: TestEnv;
  /** Closes the server, then the fake providers. */
  close(): Promise<void>;
} & (O['whatsapp'] extends WhatsAppAccount ? { graph: FakeGraph } : unknown) &
  (O['twilio'] extends TwilioAccount ? { twilio: FakeServer } : unknown) &
  (O['email'] extends true ? { outbox: Outbox } : unknown);

/**
 * A test server with the channels asked for, each against a fake of its provider that checks
 * requests as the provider documents them: WhatsApp against fake-graph, SMS against Twilio's
 * Messages API, email through an SMTP outbox. What was started is closed if a later step fails.
 */
export async function startChannelTestEnv<O extends ChannelOptions>(o: O): Promise<ChannelTestEnv<O>> {
  const fakes: Closable[] = [];
  const closeFakes = async () => {
    for (const f of fakes) await f.close();
  };
  try {
    const graph = o.whatsapp && (await startFakeGraph({ token: o.whatsapp.token, phoneNumberId: o.whatsapp.phoneNumberId }));
    if (graph) fakes.push(graph);
    const twilio = o.twilio && (await startFakeServer(twilioMessagesApi(o.twilio.sid, o.twilio.authToken)));
    if (twilio) fakes.push(twilio);
    const outbox = o.email ? await startOutbox() : undefined;
    if (outbox) fakes.push(outbox);
    const env = await startTestEnv({
      ...o.env,
      ...(graph && whatsappVariables(o.whatsapp!, graph.url)),
      ...(twilio && twilioVariables(o.twilio!, twilio.url)),
      ...(outbox && emailVariables(outbox)),
    });
    const close = async () => {
      await env.close();
      await closeFakes();
    };
    return { env, graph, twilio, outbox, close } as ChannelTestEnv<O>;
  } catch (err) {
    await closeFakes();
    throw err;
  }
}
