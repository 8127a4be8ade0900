import type { ReactNode } from 'react';

/*
 * The search's highlights come as text with <mark>…</mark> around the matched words
 * (PostgreSQL's ts_headline). Nothing else in them is markup: the text is shown as text, only
 * the marks become <mark> elements — never innerHTML.
 */
export interface Segment {
  text: string;
  mark: boolean;
}

export function markedSegments(marked: string): Segment[] {
  const out: Segment[] = [];
  let mark = false;
  for (const part of marked.split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') mark = true;
    else if (part === '</mark>') mark = false;
    else if (part) out.push({ text: part, mark });
  }
  return out;
}

/** The segments between two positions of the plain text (to split "title — summary"). */
export function sliceSegments(segments: Segment[], from: number, to = Infinity): Segment[] {
  const out: Segment[] = [];
  let pos = 0;
  for (const s of segments) {
    const start = Math.max(from, pos);
    const end = Math.min(to, pos + s.text.length);
    if (end > start) out.push({ text: s.text.slice(start - pos, end - pos), mark: s.mark });
    pos += s.text.length;
  }
  return out;
}

export function Highlighted({ segments }: { segments: Segment[] }): ReactNode {
  return segments.map((s, i) => (s.mark ? <mark key={i}>{s.text}</mark> : s.text));
}

/**
 * A search hit's highlight is "title — summary": the two parts, each with its marks, or the
 * plain title and summary when the highlight does not have that shape.
 */
export function splitHighlight(hit: { title: string; summary: string; highlight?: string }): { title: Segment[]; summary: Segment[] } {
  const plain = (text: string) => [{ text, mark: false }];
  if (!hit.highlight) return { title: plain(hit.title), summary: plain(hit.summary) };
  const segments = markedSegments(hit.highlight);
  const text = segments.map((s) => s.text).join('');
  const sep = ' — ';
  if (!text.startsWith(hit.title + sep)) return { title: plain(hit.title), summary: plain(hit.summary) };
  return { title: sliceSegments(segments, 0, hit.title.length), summary: sliceSegments(segments, hit.title.length + sep.length) };
}
