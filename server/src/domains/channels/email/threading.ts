/*
 * Pure helpers to attach an inbound email to a ticket and to keep us out of mail loops.
 * Matching order for the caller: reply-address token, then In-Reply-To/References against
 * stored Message-IDs, then a ticket number in the subject.
 */

export type HeaderBag = Record<string, string | string[] | undefined>;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{4,64}$/;

export interface ReplyAddressOptions {
  domain: string;
  /** Local part before the `+` (default `support`). */
  localPart?: string;
}

/** `support+<token>@domain`: the token survives any client that strips our headers. */
export function buildReplyAddress(token: string, options: ReplyAddressOptions): string {
  if (!TOKEN_PATTERN.test(token)) throw new Error(`Reply token must match ${TOKEN_PATTERN}`);
  return `${options.localPart ?? 'support'}+${token}@${options.domain.toLowerCase()}`;
}

/**
 * Finds our token in an address such as `"Support" <support+Ab12Cd@relais.fr>`. Local part and
 * domain are compared case-insensitively because some servers change case on delivery; the
 * token itself is returned untouched.
 */
export function parseReplyAddress(address: string, options: ReplyAddressOptions): string | null {
  const bare = (/<([^>]+)>/.exec(address)?.[1] ?? address).trim();
  const at = bare.lastIndexOf('@');
  if (at < 0) return null;
  const local = bare.slice(0, at);
  const domain = bare.slice(at + 1).toLowerCase();
  if (domain !== options.domain.toLowerCase()) return null;
  const prefix = `${(options.localPart ?? 'support').toLowerCase()}+`;
  if (!local.toLowerCase().startsWith(prefix)) return null;
  const token = local.slice(prefix.length);
  return TOKEN_PATTERN.test(token) ? token : null;
}

/** First reply token found among several recipients (To, Cc, Delivered-To…). */
export function findReplyToken(addresses: string[], options: ReplyAddressOptions): string | null {
  for (const address of addresses) {
    const token = parseReplyAddress(address, options);
    if (token) return token;
  }
  return null;
}

/**
 * Ticket numbers like `NUM-48213` in `[NUM-48213] …`, `Re: … (NUM-48213)` or bare, any case.
 * Returned upper-cased, in order of appearance, without duplicates.
 */
export function extractTicketNumbers(subject: string, prefix = 'NUM'): string[] {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Word-ish boundaries so that `XNUM-1` or `NUM-12345678901` inside a reference do not match.
  const pattern = new RegExp(`(?<![A-Za-z0-9])${escaped}-(\\d{1,10})(?![0-9])`, 'gi');
  const found: string[] = [];
  for (const match of subject.matchAll(pattern)) {
    const id = `${prefix.toUpperCase()}-${match[1]}`;
    if (!found.includes(id)) found.push(id);
  }
  return found;
}

export function extractTicketNumber(subject: string, prefix = 'NUM'): string | null {
  return extractTicketNumbers(subject, prefix)[0] ?? null;
}

/**
 * Message-IDs from In-Reply-To / References, as `<id@host>`, in header order, deduplicated.
 * Tolerates folded headers, commas, missing brackets and comments some clients add.
 */
export function parseMessageIdList(value: string | string[] | undefined | null): string[] {
  if (!value) return [];
  const text = Array.isArray(value) ? value.join(' ') : value;
  const ids: string[] = [];
  const bracketed = [...text.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);
  const candidates = bracketed.length > 0 ? bracketed : text.split(/[\s,]+/);
  for (const raw of candidates) {
    const id = raw.trim().replace(/^<|>$/g, '');
    if (!id.includes('@')) continue;
    const normalised = `<${id}>`;
    if (!ids.includes(normalised)) ids.push(normalised);
  }
  return ids;
}

/** Ids to look up, most specific first: In-Reply-To, then References from newest to oldest. */
export function threadLookupIds(inReplyTo: string | string[] | undefined, references: string | string[] | undefined): string[] {
  const ordered = [...parseMessageIdList(inReplyTo), ...parseMessageIdList(references).reverse()];
  return ordered.filter((id, i) => ordered.indexOf(id) === i);
}

export interface AutoReplyVerdict {
  /** Machine-generated (out of office, bulk, list…): store it, but never auto-answer it. */
  autoReply: boolean;
  /** Our own mail coming back: do not even store it as a customer message. */
  loop: boolean;
  reasons: string[];
}

export interface AutoReplyOptions {
  /** Domains we put in our own Message-IDs, e.g. `relais.example.fr`. */
  ownMessageIdDomains?: string[];
}

const AUTO_REPLY_SUBJECTS = [
  /^\s*(?:r[ée]ponse automatique|automatic reply|auto[- ]?reply|autoreply|auto[- ]?response)\b/i,
  /^\s*(?:absence du bureau|absent du bureau|out of (?:the )?office|abwesenheitsnotiz|fuera de la oficina|risposta automatica)\b/i,
  /^\s*(?:undeliverable|undelivered mail|delivery status notification|non remis|mail delivery failed|returned mail)\b/i,
];

/**
 * RFC 3834 `Auto-Submitted`, the de-facto `Precedence`, Microsoft's `X-Auto-Response-Suppress`
 * and `X-Autoreply`/`X-Autorespond`, plus subjects of common vacation replies (FR/EN).
 * Same signals as Zammad's auto-response check, with our own Message-ID domain for loops.
 */
export function detectAutoReply(headers: HeaderBag, subject = '', options: AutoReplyOptions = {}): AutoReplyVerdict {
  const reasons: string[] = [];
  const get = (name: string) => headerValues(headers, name);

  const autoSubmitted = get('auto-submitted').map((v) => v.trim().toLowerCase().split(/[\s;]/)[0] ?? '');
  if (autoSubmitted.some((v) => v !== '' && v !== 'no')) reasons.push(`auto-submitted: ${autoSubmitted.join(',')}`);

  if (get('precedence').some((v) => /\b(bulk|junk|list|auto_reply)\b/i.test(v))) reasons.push('precedence');
  if (get('x-autoreply').some((v) => v.trim() !== '' && !/^no$/i.test(v.trim()))) reasons.push('x-autoreply');
  if (get('x-autorespond').some((v) => v.trim() !== '')) reasons.push('x-autorespond');
  // Exchange stamps `All` on the replies it generates (out-of-office, recalls…).
  if (get('x-auto-response-suppress').some((v) => /\b(all|oof|autoreply)\b/i.test(v))) reasons.push('x-auto-response-suppress');
  if (get('list-id').length > 0 || get('list-unsubscribe').length > 0) reasons.push('mailing list');
  if (get('x-loop').some((v) => v.trim() !== '')) reasons.push('x-loop');
  if (get('content-type').some((v) => /multipart\/report/i.test(v))) reasons.push('delivery report');
  if (get('from').some((v) => /(?:^|[<\s"])(?:mailer-daemon|postmaster)@/i.test(v))) reasons.push('bounce sender');
  if (AUTO_REPLY_SUBJECTS.some((re) => re.test(subject))) reasons.push('subject');

  const ownDomains = (options.ownMessageIdDomains ?? []).map((d) => d.toLowerCase());
  const messageIdDomain = parseMessageIdList(get('message-id'))[0]?.slice(1, -1).split('@').pop()?.toLowerCase();
  const loop = !!messageIdDomain && ownDomains.includes(messageIdDomain);
  if (loop) reasons.push('own message-id');

  return { autoReply: reasons.length > 0, loop, reasons };
}

export function isAutoReply(headers: HeaderBag, subject = '', options: AutoReplyOptions = {}): boolean {
  return detectAutoReply(headers, subject, options).autoReply;
}

function headerValues(headers: HeaderBag, name: string): string[] {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    return Array.isArray(value) ? value : [value];
  }
  return [];
}
