/**
 * The `{{variables}}` of the messages sent to clients, shared by the server (which renders and
 * refuses a bad template) and the admin screen (which previews and explains before saving), so
 * both read a template the same way.
 */

/** A well-formed variable: `{{number}}`, spaces allowed inside the braces. */
export const TEMPLATE_VARIABLE = /\{\{\s*([a-zA-Z_]+)\s*\}\}/g;

/** Any pair of double braces, to catch `{{numéro}}` or `{{ 1 }}`, which render would leave as they are. */
const ANY_BRACES = /\{\{([^{}]*)\}\}/g;

export function renderTemplate(template: string, variables: Record<string, string>): string {
  return template.replace(TEMPLATE_VARIABLE, (_m, name: string) => variables[name] ?? '');
}

export function variablesUsed(template: string): string[] {
  return [...template.matchAll(TEMPLATE_VARIABLE)].map((m) => m[1]!);
}

export type PlaceholderIssue =
  /** `{{numero}}`, `{{numéro}}`: not one of the template's variables (written as found). */
  | { kind: 'unknown'; found: string[] }
  /** A `{{` or `}}` left alone: a variable cut in the middle. */
  | { kind: 'unclosed' }
  /** `{number}`: a variable of the template with one brace, which would reach the client as is. */
  | { kind: 'single'; found: string[] };

/**
 * What would reach the client wrongly: every `{{…}}` must be one of `allowed`; anything else is
 * sent as typed (the client would read "{{numero}}"), so it is refused rather than guessed.
 */
export function placeholderIssues(text: string, allowed: readonly string[]): PlaceholderIssue[] {
  const issues: PlaceholderIssue[] = [];
  const unknown = new Set<string>();
  for (const m of text.matchAll(ANY_BRACES)) {
    const name = m[1]!.trim();
    if (!/^[a-zA-Z_]+$/.test(name) || !allowed.includes(name)) unknown.add(m[0]);
  }
  if (unknown.size) issues.push({ kind: 'unknown', found: [...unknown] });
  const rest = text.replace(ANY_BRACES, ' ');
  if (rest.includes('{{') || rest.includes('}}')) issues.push({ kind: 'unclosed' });
  const single = new Set<string>();
  for (const m of rest.matchAll(/\{\s*([a-zA-Z_]+)\s*\}/g)) if (allowed.includes(m[1]!)) single.add(m[0]);
  if (single.size) issues.push({ kind: 'single', found: [...single] });
  return issues;
}

/**
 * Payloads of a WhatsApp template's quick-reply buttons that Relais acts on when a client taps
 * one: a satisfaction answer on the 1–5 scale, or a callback request. Any other payload would
 * do nothing, so it is refused.
 */
export const QUICK_REPLY_PAYLOADS = ['rating:5', 'rating:4', 'rating:3', 'rating:2', 'rating:1', 'callback'] as const;
export type QuickReplyPayload = (typeof QUICK_REPLY_PAYLOADS)[number];

/** Meta's rules for a template's name and language code (as the API accepts them). */
export const WHATSAPP_TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;
export const WHATSAPP_LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2})?$/;

/** Longest SMS sent whole; a longer text is cut and ends with the follow-up link (outbound/delivery.ts). */
export const SMS_MAX_CHARS = 1500;
