import { simpleParser, type AddressObject, type Attachment } from 'mailparser';
import { extractReplyText } from './reply-text';
import { detectAutoReply, parseMessageIdList, type AutoReplyOptions } from './threading';

export interface MailAddress {
  /** As written by the sender: case is kept because our reply token lives in the local part. */
  address: string;
  name: string;
}

export interface InboundAttachment {
  filename: string | null;
  contentType: string;
  size: number;
  /** Content-ID without angle brackets, as referenced by `cid:` URLs in the HTML. */
  contentId: string | null;
  /** Embedded in the HTML body (referenced by cid), as opposed to a file to list. */
  inline: boolean;
  content: Buffer;
}

export interface InboundEmail {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress[];
  subject: string;
  date: Date | null;
  text: string;
  /** HTML with `cid:` links kept, so they can be rewritten to our attachment URLs. */
  html: string | null;
  /** What the customer wrote in this message, without quotes and signature. */
  replyText: string;
  quotedText: string;
  signature: string;
  attachments: InboundAttachment[];
  autoReply: boolean;
  loop: boolean;
  autoReplyReasons: string[];
  /** Lower-cased names; raw (still RFC 2047-encoded) values; repeated headers become arrays. */
  headers: Record<string, string | string[]>;
}

export type ParseInboundOptions = AutoReplyOptions;

export async function parseInboundEmail(raw: Buffer, options: ParseInboundOptions = {}): Promise<InboundEmail> {
  const parsed = await simpleParser(raw, { keepCidLinks: true });

  const headers: Record<string, string | string[]> = {};
  for (const { key, line } of parsed.headerLines) {
    const unfolded = line.replace(/\r?\n[ \t]+/g, ' ');
    const value = unfolded.slice(unfolded.indexOf(':') + 1).trim();
    const previous = headers[key];
    headers[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }

  const subject = parsed.subject ?? '';
  const html = typeof parsed.html === 'string' ? parsed.html : null;
  const text = parsed.text ?? '';
  const reply = extractReplyText(text);
  const verdict = detectAutoReply(headers, subject, options);

  return {
    messageId: parsed.messageId ?? null,
    inReplyTo: parseMessageIdList(parsed.inReplyTo)[0] ?? null,
    references: parseMessageIdList(parsed.references),
    from: addresses(parsed.from)[0] ?? null,
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    replyTo: addresses(parsed.replyTo),
    subject,
    date: parsed.date ?? null,
    text,
    html,
    replyText: reply.text,
    quotedText: reply.quoted,
    signature: reply.signature,
    attachments: parsed.attachments.map((a) => toAttachment(a, html)),
    autoReply: verdict.autoReply,
    loop: verdict.loop,
    autoReplyReasons: verdict.reasons,
    headers,
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): MailAddress[] {
  if (!field) return [];
  const out: MailAddress[] = [];
  const visit = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      // Group syntax ("Équipe: a@x, b@y;") nests the members.
      if (entry.group) visit(entry.group);
      else if (entry.address) out.push({ address: entry.address, name: entry.name ?? '' });
    }
  };
  for (const object of Array.isArray(field) ? field : [field]) visit(object.value);
  return out;
}

function toAttachment(attachment: Attachment, html: string | null): InboundAttachment {
  const contentId = attachment.cid ?? attachment.contentId?.replace(/^<|>$/g, '') ?? null;
  // Apple Mail marks ordinary files `inline` too, so "inline" is decided by an actual reference.
  const referenced = !!contentId && !!html && html.toLowerCase().includes(`cid:${contentId.toLowerCase()}`);
  return {
    filename: attachment.filename ?? null,
    contentType: attachment.contentType,
    size: attachment.size,
    contentId,
    inline: !!contentId && (referenced || attachment.related === true),
    content: attachment.content,
  };
}
