/** Phone numbers as people say them: +33 6 12 34 56 78 (other countries as stored). */
export function spacedPhone(e164: string): string {
  const m = /^\+33(\d)(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(e164);
  return m ? `+33 ${m.slice(1).join(' ')}` : e164;
}
