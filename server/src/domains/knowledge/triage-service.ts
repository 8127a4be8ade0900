import type { Executor } from '../../platform/db';
import { searchContent, type SearchHit } from './knowledge-search';
import { detectEmergency, type EmergencyAssessment } from './triage/emergency';
import { normalizeText } from './triage/normalize';

export interface TriageResult {
  procedures: { slug: string; title: string; score: number; level: number | null; category: string }[];
  emergency: { suspected: boolean; score: number; reasons: { code: string; label: string; excerpt: string }[] };
  level: number;
  category: string | null;
}

/** The generic red-button procedure: any suspected emergency shows it. */
export const EMERGENCY_PROCEDURE = 'urgence-cyber';

/** How many of a procedure's keywords (whole words or phrases, folded) the text contains. */
export function keywordHits(foldedText: string, keywords: string[]): number {
  const hay = ` ${foldedText} `;
  let hits = 0;
  for (const k of keywords) {
    const folded = normalizeText(k).trim();
    if (folded.length >= 2 && hay.includes(` ${folded} `)) hits++;
  }
  return hits;
}

/**
 * Re-ranks the full-text candidates: the client's own words matching a procedure's keywords
 * weigh most; a suspected emergency favours the level-3 procedures and always shows the
 * red-button one, an ordinary request pushes them down.
 */
export function rerank(hits: SearchHit[], foldedText: string, emergency: EmergencyAssessment): SearchHit[] {
  const scored = hits.map((h) => {
    let score = h.score + 0.45 * Math.min(keywordHits(foldedText, h.keywords), 4);
    if (h.level === 3) score += emergency.suspected ? 0.8 : -0.2;
    return { ...h, score: Number(score.toFixed(4)) };
  });
  scored.sort((a, b) => b.score - a.score);
  const top = scored.slice(0, 3);
  if (emergency.suspected && !top.some((h) => h.slug === EMERGENCY_PROCEDURE)) {
    const red = scored.find((h) => h.slug === EMERGENCY_PROCEDURE);
    if (red) top.splice(Math.min(top.length, 2), 1, red);
  }
  return top;
}

/** What the text of a request suggests: the 3 closest procedures, a suspected emergency, a level. */
export async function triage(db: Executor, text: string): Promise<TriageResult> {
  const emergency = detectEmergency(text);
  const candidates = await searchContent(db, 'procedure', text, { limit: 15 });
  if (emergency.suspected && !candidates.some((c) => c.slug === EMERGENCY_PROCEDURE)) {
    candidates.push(...(await searchContent(db, 'procedure', `${EMERGENCY_PROCEDURE.replace('-', ' ')} piratage arnaque`, { limit: 1 })));
  }
  const hits = rerank(candidates, normalizeText(text), emergency);
  const top = hits[0];
  return {
    procedures: hits.map((h) => ({ slug: h.slug, title: h.title, score: h.score, level: h.level, category: h.category })),
    emergency: { suspected: emergency.suspected, score: emergency.score, reasons: emergency.reasons.map((r) => ({ code: r.code, label: r.label, excerpt: r.excerpt })) },
    level: emergency.suspected ? 3 : (top?.level ?? 1),
    category: top?.category ?? null,
  };
}
