/**
 * A satisfaction answer as clients give it on a phone: "5", "4/5", "5 !", or the id of a
 * WhatsApp button we sent (`rating:5`). Anything longer is a message, not a rating.
 */
export function parseRating(text: string | null | undefined, replyId?: string | null): number | null {
  const id = replyId ? /^rating[:_-]([1-5])$/i.exec(replyId.trim()) : null;
  if (id) return Number(id[1]);
  if (!text) return null;
  const m = /^\s*([1-5])\s*(?:\/\s*5|sur\s+5)?\s*[.!]*\s*$/i.exec(text);
  return m ? Number(m[1]) : null;
}
