/**
 * Phone numbers as French agents say and dial them: 06 12 34 56 78, the same everywhere in the
 * console (lists, ticket, callbacks, incoming calls); other countries as stored.
 */
export function spacedPhone(e164: string): string {
  const m = /^\+33(\d)(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(e164);
  return m ? `0${m[1]}\u00a0${m.slice(2).join('\u00a0')}` : e164;
}
