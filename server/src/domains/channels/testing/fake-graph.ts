import { startFakeServer, type FakeResponse, type FakeServer, type RecordedRequest } from './fake-server';

/**
 * Meta's Graph API (WhatsApp Cloud API) for tests, checking each request the way Meta documents
 * it and refusing what Meta refuses, so a wrong request fails the test instead of "working":
 * - bearer token on every call (190 otherwise);
 * - `POST /{version}/{phone-number-id}/media`: multipart/form-data with `messaging_product=whatsapp`,
 *   `type` (the MIME type) and `file` (a file part of that type, with a file name), within Meta's
 *   type and size limits; answers `{ id }`;
 * - `POST /{version}/{phone-number-id}/messages`: text, template, image / document (by uploaded
 *   media id or link, caption ≤ 1024, file name for documents only) and interactive reply
 *   buttons (1–3, titles 1–20 characters, unique, ids ≤ 256);
 * - `GET /{version}/{media-id}` and the download URL it gives, for inbound media.
 */
export interface UploadedMedia {
  id: string;
  mimeType: string;
  filename: string;
  bytes: Buffer;
}

export interface FakeGraph {
  server: FakeServer;
  url: string;
  uploads: Map<string, UploadedMedia>;
  /** Message bodies accepted, in order, with the wamid given back. */
  sent: { wamid: string; body: Record<string, unknown> }[];
  /** Numbers for which free-form messages answer 131047 (the 24-hour window is closed at Meta). */
  windowClosed: Set<string>;
  /** Media for inbound messages: media id → content. */
  inboundMedia: Map<string, { bytes: Buffer; mime: string }>;
  sentTo(to: string): Record<string, unknown>[];
  close(): Promise<void>;
}

// developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/media#supported-media-types
const LIMITS: Record<string, number> = {
  'image/jpeg': 5_000_000,
  'image/png': 5_000_000,
  'image/webp': 500_000,
  'text/plain': 100_000_000,
  'application/pdf': 100_000_000,
  'application/msword': 100_000_000,
  'application/vnd.ms-excel': 100_000_000,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 100_000_000,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 100_000_000,
  'audio/ogg': 16_000_000,
  'audio/mpeg': 16_000_000,
  'audio/mp4': 16_000_000,
  'audio/aac': 16_000_000,
  'video/mp4': 16_000_000,
  'video/3gpp': 16_000_000,
};

const graphError = (status: number, code: number, message: string, details?: string): FakeResponse => ({
  status,
  body: { error: { message: `(#${code}) ${message}`, type: 'OAuthException', code, ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}), fbtrace_id: 'AFakeTrace' } },
});
const invalid = (details: string) => graphError(400, 100, 'Invalid parameter', details);

async function checkUpload(req: RecordedRequest, uploads: Map<string, UploadedMedia>): Promise<FakeResponse> {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^multipart\/form-data;\s*boundary=/i.test(type)) return invalid('The upload must be multipart/form-data');
  // The standard multipart parser (WHATWG Request.formData), independent of how the client encoded it.
  let form: FormData;
  try {
    form = await new Request('http://graph.test/', { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(req.body) }).formData();
  } catch {
    return invalid('Malformed multipart body');
  }
  if (form.get('messaging_product') !== 'whatsapp') return invalid('messaging_product must be "whatsapp"');
  const mime = form.get('type');
  const file = form.get('file');
  if (typeof mime !== 'string' || !mime) return invalid('Param type is required (the MIME type of the file)');
  if (!(file instanceof File)) return invalid('Param file must be a file upload');
  if (!file.name) return invalid('The file part needs a file name');
  if (file.type.split(';')[0] !== mime.split(';')[0]) return invalid(`The file part's content type (${file.type}) does not match type (${mime})`);
  const limit = LIMITS[mime.split(';')[0]!];
  if (!limit) return graphError(400, 131053, 'Media upload error', `Unsupported file type ${mime}`);
  const bytes = Buffer.from(await file.arrayBuffer());
  if (!bytes.length) return invalid('The file is empty');
  if (bytes.length > limit) return graphError(400, 131053, 'Media upload error', `File size ${bytes.length} is over the ${limit} bytes allowed for ${mime}`);
  const id = String(4_490_709_327_384_000 + uploads.size + 1);
  uploads.set(id, { id, mimeType: mime, filename: file.name, bytes });
  return { body: { id } };
}

function checkMedia(kind: string, object: unknown, uploads: Map<string, UploadedMedia>): string | null {
  if (typeof object !== 'object' || object === null) return `${kind} object is required`;
  const o = object as Record<string, unknown>;
  if (!!o.id === !!o.link) return `${kind} needs exactly one of id or link`;
  if (o.id) {
    const up = uploads.get(String(o.id));
    if (!up) return `Unknown media id ${String(o.id)}`;
    if (kind === 'image' && !up.mimeType.startsWith('image/')) return `Media ${up.id} is not an image (${up.mimeType})`;
  }
  if (o.caption !== undefined && (typeof o.caption !== 'string' || o.caption.length > 1024)) return 'caption must be a string of at most 1024 characters';
  if (o.filename !== undefined && kind !== 'document') return 'filename is only allowed on documents';
  const allowed = new Set(['id', 'link', 'caption', 'filename']);
  const extra = Object.keys(o).filter((k) => !allowed.has(k));
  return extra.length ? `Unexpected ${kind} fields: ${extra.join(', ')}` : null;
}

function checkInteractive(i: unknown): string | null {
  if (typeof i !== 'object' || i === null) return 'interactive object is required';
  const o = i as { type?: string; body?: { text?: unknown }; footer?: { text?: unknown }; action?: { buttons?: unknown } };
  if (o.type !== 'button') return `interactive.type ${String(o.type)} is not handled by this fake`;
  if (typeof o.body?.text !== 'string' || !o.body.text || o.body.text.length > 1024) return 'interactive.body.text is required (1024 characters at most)';
  if (o.footer && (typeof o.footer.text !== 'string' || o.footer.text.length > 60)) return 'interactive.footer.text is 60 characters at most';
  const buttons = o.action?.buttons;
  if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) return 'interactive.action.buttons needs 1 to 3 buttons';
  const titles = new Set<string>();
  const ids = new Set<string>();
  for (const b of buttons as { type?: string; reply?: { id?: unknown; title?: unknown } }[]) {
    if (b.type !== 'reply' || typeof b.reply?.id !== 'string' || typeof b.reply.title !== 'string') return 'each button is { type: "reply", reply: { id, title } }';
    if (!b.reply.id || b.reply.id.length > 256 || b.reply.id !== b.reply.id.trim()) return 'button id: 1 to 256 characters, no surrounding spaces';
    if (!b.reply.title || [...b.reply.title].length > 20) return `button title "${b.reply.title}" must be 1 to 20 characters`;
    if (titles.has(b.reply.title) || ids.has(b.reply.id)) return 'button titles and ids must be unique';
    titles.add(b.reply.title);
    ids.add(b.reply.id);
  }
  return null;
}

export async function startFakeGraph(opts: { token: string; phoneNumberId: string; version?: string }): Promise<FakeGraph> {
  const version = opts.version ?? 'v21.0';
  const uploads = new Map<string, UploadedMedia>();
  const inboundMedia = new Map<string, { bytes: Buffer; mime: string }>();
  const windowClosed = new Set<string>();
  const sent: FakeGraph['sent'] = [];
  let counter = 0;

  const handler = async (req: RecordedRequest, server: FakeServer): Promise<FakeResponse> => {
    if (req.headers.authorization !== `Bearer ${opts.token}`) return graphError(401, 190, 'Invalid OAuth access token.');
    if (req.method === 'POST' && req.path === `/${version}/${opts.phoneNumberId}/media`) return checkUpload(req, uploads);
    if (req.method === 'POST' && req.path === `/${version}/${opts.phoneNumberId}/messages`) {
      const b = req.json as Record<string, unknown> | undefined;
      if (!b || b.messaging_product !== 'whatsapp') return invalid('messaging_product must be "whatsapp"');
      if (typeof b.to !== 'string' || !/^\d{6,15}$/.test(b.to)) return invalid('to must be a phone number with country code');
      if (b.recipient_type !== undefined && b.recipient_type !== 'individual') return invalid('recipient_type must be "individual"');
      let problem: string | null;
      switch (b.type) {
        case 'text':
          problem = typeof (b.text as { body?: unknown })?.body === 'string' && ((b.text as { body: string }).body.length <= 4096) ? null : 'text.body is required (4096 characters at most)';
          break;
        case 'template': {
          const tpl = b.template as { name?: unknown; language?: { code?: unknown } };
          problem = typeof tpl?.name === 'string' && typeof tpl.language?.code === 'string' ? null : 'template.name and template.language.code are required';
          break;
        }
        case 'image':
        case 'document':
          problem = checkMedia(b.type, b[b.type], uploads);
          break;
        case 'interactive':
          problem = checkInteractive(b.interactive);
          break;
        default:
          problem = `Unsupported message type ${String(b.type)}`;
      }
      if (problem) return invalid(problem);
      if (b.type !== 'template' && windowClosed.has(b.to)) {
        return graphError(400, 131047, 'Re-engagement message', 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.');
      }
      const wamid = `wamid.FAKE${String(++counter).padStart(6, '0')}`;
      sent.push({ wamid, body: b });
      return { body: { messaging_product: 'whatsapp', contacts: [{ input: b.to, wa_id: b.to }], messages: [{ id: wamid }] } };
    }
    const meta = new RegExp(`^/${version.replace('.', '\\.')}/([\\w-]+)$`).exec(req.path);
    if (req.method === 'GET' && meta && inboundMedia.has(meta[1]!)) {
      const m = inboundMedia.get(meta[1]!)!;
      return { body: { messaging_product: 'whatsapp', url: `${server.url}/download/${meta[1]}`, mime_type: m.mime, file_size: m.bytes.length, id: meta[1] } };
    }
    const dl = /^\/download\/([\w-]+)$/.exec(req.path);
    if (req.method === 'GET' && dl && inboundMedia.has(dl[1]!)) return { headers: { 'content-type': inboundMedia.get(dl[1]!)!.mime }, body: inboundMedia.get(dl[1]!)!.bytes };
    return graphError(404, 803, 'Unknown path');
  };

  const server = await startFakeServer(handler);
  return {
    server,
    url: server.url,
    uploads,
    sent,
    windowClosed,
    inboundMedia,
    sentTo: (to) => sent.filter((s) => s.body.to === to).map((s) => s.body),
    close: () => server.close(),
  };
}
