import EmailReplyParser from 'email-reply-parser';

/**
 * Splits the plain-text body of an inbound reply into what the customer just wrote, the
 * quoted previous messages and their signature. Only trailing whitespace is lost: `text`,
 * `signature` and `quoted` together still hold the whole body, so an agent can always expand it.
 *
 * Our own detectors run first because they are tuned for French clients (Gmail, Outlook,
 * Apple Mail) and attribution lines wrapped over several lines; email-reply-parser then
 * covers the other languages it knows and the sign-off signatures ("Cordialement", …).
 */
export interface ReplyText {
  text: string;
  quoted: string;
  signature: string;
}

export function extractReplyText(body: string): ReplyText {
  const normalised = normalise(body);
  const lines = normalised.split('\n');

  const cut = findQuoteStart(lines);
  let head: string;
  let quoted: string;
  if (cut !== null) {
    head = lines.slice(0, cut).join('\n');
    quoted = lines.slice(cut).join('\n');
  } else {
    ({ head, quoted } = splitWithLibrary(normalised));
  }

  const { text, signature } = splitSignature(head);
  return { text: tidy(text), quoted: tidy(quoted), signature: tidy(signature) };
}

function normalise(body: string): string {
  return (
    body
      .replace(/\r\n?/g, '\n')
      // Gmail and Outlook put (narrow) no-break spaces before French colons: « a écrit : ».
      .replace(/[\u00a0\u202f\u2007]/g, ' ')
  );
}

function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

// ---------------------------------------------------------------------------------------------
// Quote detection
// ---------------------------------------------------------------------------------------------

const ORIGINAL_MESSAGE_SEPARATOR =
  /^\s*-{2,}\s*(?:original message|message d'origine|message original|mensaje original|ursprüngliche nachricht|messaggio originale)\s*-{2,}\s*$/i;
// Outlook puts a line of underscores above its header block (32 of them in practice).
const UNDERSCORE_RULE = /^\s*_{10,}\s*$/;
const HEADER_FROM = /^\s*\*?(?:from|de|von|da|van)\s*:\*?\s*\S/i;
const HEADER_DATE = /^\s*\*?(?:sent|date|envoyé|gesendet|enviado|inviato|verzonden)\s*:\*?\s*\S/i;
const HEADER_OTHER = /^\s*\*?(?:to|à|a|cc|subject|objet|an|betreff|para|asunto|oggetto|aan|onderwerp)\s*:\*?/i;
// « Le lun. 3 nov. 2026 à 10:12, Marie <m@x.fr> a écrit : », "On Mon, Nov 3, 2026 at 10:12 AM Marie <…> wrote:".
const ATTRIBUTION = /^\s*(?:on|le|el|il|em|op|den)\s.*\b(?:wrote|a écrit|escribió|ha scritto|escreveu|schreef|skrev)\s*:\s*$/is;
// « Marie Dupont <m@x.fr> a écrit : » (no date, but an address makes it unambiguous).
const ATTRIBUTION_WITH_ADDRESS = /^\s*[^\n<>]{0,120}<[^<>\s]+@[^<>\s]+>\s*(?:wrote|a écrit)\s*:\s*$/is;
const QUOTED_LINE = /^\s*>/;

function findQuoteStart(lines: string[]): number | null {
  const candidates = [firstHeaderLikeLine(lines), trailingQuotedBlock(lines)].filter((i): i is number => i !== null);
  return candidates.length > 0 ? Math.min(...candidates) : null;
}

function firstHeaderLikeLine(lines: string[]): number | null {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (QUOTED_LINE.test(line)) continue;
    if (ORIGINAL_MESSAGE_SEPARATOR.test(line)) return i;
    if (UNDERSCORE_RULE.test(line)) {
      const next = nextNonEmpty(lines, i + 1, 2);
      if (next !== null && HEADER_FROM.test(lines[next]!)) return i;
    }
    if (HEADER_FROM.test(line) && looksLikeHeaderBlock(lines, i)) return i;
    if (attributionAt(lines, i)) return i;
  }
  return null;
}

/** Outlook-style block: From/De followed closely by Sent/Date and To/Subject lines. */
function looksLikeHeaderBlock(lines: string[], from: number): boolean {
  const window = lines.slice(from + 1, from + 7);
  return window.some((l) => HEADER_DATE.test(l)) && window.some((l) => HEADER_OTHER.test(l));
}

/** Attribution lines are often wrapped by the client, so up to three lines are joined. */
function attributionAt(lines: string[], i: number): boolean {
  if (!/^\s*\S/.test(lines[i]!)) return false;
  let joined = '';
  for (let k = i; k < Math.min(lines.length, i + 3); k++) {
    if (k > i && lines[k]!.trim() === '') break;
    joined = k === i ? lines[k]!.trim() : `${joined} ${lines[k]!.trim()}`;
    if (joined.length > 300) return false;
    // A date (digit) is required so that « Le technicien a écrit : » in a sentence is not a quote.
    if (ATTRIBUTION.test(joined) && /\d/.test(joined)) return true;
    if (ATTRIBUTION_WITH_ADDRESS.test(joined)) return true;
  }
  return false;
}

/** A block of `>` lines after the last line the customer typed (inline answers are kept). */
function trailingQuotedBlock(lines: string[]): number | null {
  let lastOwn = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.trim() !== '' && !QUOTED_LINE.test(line)) {
      lastOwn = i;
      break;
    }
  }
  const start = nextNonEmpty(lines, lastOwn + 1, lines.length);
  if (start === null || !QUOTED_LINE.test(lines[start]!)) return null;
  return attributionAbove(lines, lastOwn) ?? start;
}

/**
 * The line introducing a quote block in any language ("Am … schrieb X <x@y>:", "W dniu … napisał:")
 * ends with a colon and carries a date or an address; it may be wrapped over up to 3 lines.
 */
function attributionAbove(lines: string[], last: number): number | null {
  if (last < 0 || !lines[last]!.trim().endsWith(':')) return null;
  let first = last;
  while (first > 0 && last - first < 2 && lines[first - 1]!.trim() !== '') first--;
  const evidence = (k: number) => {
    const joined = lines.slice(k, last + 1).map((l) => l.trim()).join(' ');
    return joined.length <= 300 && (/@/.test(joined) || /\b\d{1,2}[:h.]\d{2}\b|\b\d{4}\b/.test(joined));
  };
  // Prefer the nearest line that opens like an attribution, so a customer sentence just above
  // it (no blank line in between) is not swallowed into the quote.
  for (let k = last; k >= first; k--) {
    if (ATTRIBUTION_OPENER.test(lines[k]!) && evidence(k)) return k;
  }
  return evidence(last) ? last : null;
}

const ATTRIBUTION_OPENER = /^\s*(?:on|le|am|el|il|em|op|den|w dniu|dnia|pe)\s/i;

function nextNonEmpty(lines: string[], from: number, maxLook: number): number | null {
  for (let i = from; i < Math.min(lines.length, from + maxLook); i++) {
    if (lines[i]!.trim() !== '') return i;
  }
  return null;
}

/** Fallback for headers we do not detect ourselves, e.g. Danish « Den … skrev X <x@y>: » above an unquoted copy. */
function splitWithLibrary(text: string): { head: string; quoted: string } {
  const fragments = new EmailReplyParser().read(text).getFragments();
  let start = fragments.length;
  for (let k = fragments.length - 1; k >= 0; k--) {
    const fragment = fragments[k]!;
    if (!fragment.isHidden()) break;
    if (fragment.isQuoted()) start = k;
  }
  if (start === fragments.length) return { head: text, quoted: '' };
  return {
    head: fragments.slice(0, start).map((f) => f.getContent()).join('\n'),
    quoted: fragments.slice(start).map((f) => f.getContent()).join('\n'),
  };
}

// ---------------------------------------------------------------------------------------------
// Signature detection
// ---------------------------------------------------------------------------------------------

// RFC 3676 delimiter ("-- ") and the taglines mail apps append, which the library misses in part.
const SIGNATURE_START = [
  /^--$/,
  /^(?:envoyé de mon|envoyé depuis|envoyé à partir de|envoyé avec|sent from|sent with|get outlook for|télécharger outlook pour|obtenir outlook pour)\b.{0,80}$/i,
];

function splitSignature(head: string): { text: string; signature: string } {
  const lines = head.split('\n');
  const delimiter = lines.findIndex((line) => SIGNATURE_START.some((re) => re.test(line.trim())));
  const beforeDelimiter = delimiter >= 0 ? lines.slice(0, delimiter).join('\n') : head;
  const tail = delimiter >= 0 ? lines.slice(delimiter).join('\n') : '';

  // The library recognises sign-offs ("Cordialement,", "Bien à vous,", "Regards,") as the start
  // of a signature; everything from there down is the signature.
  const fragments = new EmailReplyParser().read(beforeDelimiter).getFragments();
  const firstSignature = fragments.findIndex((f) => f.isSignature());
  if (firstSignature < 0) return { text: beforeDelimiter, signature: tail };
  return {
    text: fragments.slice(0, firstSignature).map((f) => f.getContent()).join('\n'),
    signature: [fragments.slice(firstSignature).map((f) => f.getContent()).join('\n'), tail].filter((s) => s.trim() !== '').join('\n'),
  };
}
