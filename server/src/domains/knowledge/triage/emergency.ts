/**
 * Scam and cyber-emergency triage ("bouton rouge") for every inbound message
 * and new ticket.
 *
 * Policy: an emergency is harm in progress or already done — codes, card
 * details or money handed over, an account or a computer in someone else's
 * hands, files encrypted, a blackmail or fake-support scam the client is
 * facing right now. Something merely suspicious with no harm done ("j'ai reçu
 * un SMS bizarre, je n'ai pas cliqué") is not: it is a level 1 question, and
 * flagging it would teach agents to ignore the red button.
 *
 * Scoring: each matched rule counts once with its weight (emergency-rules.ts).
 * Suspected when at least one harm signal is present and the score reaches
 * the threshold: a harm signal of weight ≥ 1 suffices, weaker harm needs
 * context. Context alone never qualifies, however much of it there is (a scam
 * SMS that was not opened stays a question). "Je n'ai rien donné" lowers the
 * score of weak signals but is ignored next to a strong one: "j'ai raccroché
 * mais il avait déjà mes codes" stays urgent.
 */
import { EMERGENCY_RULES, type EmergencyRule } from './emergency-rules';
import { MatchScope } from './emergency-scope';
import { matchesOf } from './matches';
import { normalizeTextWithMap, type NormalizedText } from './normalize';

export const EMERGENCY_THRESHOLD = 1;

export interface EmergencyReason {
  code: string;
  /** French, for agents: "Codes bancaires ou mots de passe communiqués à un tiers". */
  label: string;
  /** The client's own words that triggered the rule. */
  excerpt: string;
  weight: number;
}

export interface EmergencyAssessment {
  suspected: boolean;
  /** Sum of the weights of the reasons (negative ones included). */
  score: number;
  /** Strongest first. */
  reasons: EmergencyReason[];
}

const MAX_EXCERPT = 160;

export function detectEmergency(text: string): EmergencyAssessment {
  const normalized = normalizeTextWithMap(text);
  const scope = new MatchScope(normalized.text);
  const matched: Array<{ rule: EmergencyRule; reason: EmergencyReason }> = [];

  for (const rule of EMERGENCY_RULES) {
    const span = firstFactualMatch(rule, normalized.text, scope);
    if (!span) continue;
    matched.push({
      rule,
      reason: { code: rule.code, label: rule.label, excerpt: excerpt(text, normalized, span), weight: rule.weight },
    });
  }

  // "J'ai raccroché" next to "il avait déjà mes codes" is contradicted by the facts: drop it.
  const strongHarm = matched.some((m) => m.rule.harm && m.rule.weight >= EMERGENCY_THRESHOLD);
  const counted = strongHarm ? matched.filter((m) => m.rule.weight > 0) : matched;
  const score = Math.round(counted.reduce((sum, m) => sum + m.rule.weight, 0) * 100) / 100;
  const anyHarm = counted.some((m) => m.rule.harm);
  const reasons = counted
    .sort((a, b) => Number(b.rule.harm) - Number(a.rule.harm) || b.rule.weight - a.rule.weight)
    .map((m) => m.reason);
  return { suspected: anyHarm && score >= EMERGENCY_THRESHOLD, score, reasons };
}

function firstFactualMatch(rule: EmergencyRule, text: string, scope: MatchScope): { start: number; end: number } | null {
  for (const pattern of rule.patterns) {
    for (const m of matchesOf(pattern.re, text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (scope.isHypothetical(start)) continue;
      if (rule.notWhenReported && scope.isReported(start)) continue;
      if (rule.selfDiagnosis && scope.isDoubted(start)) continue;
      if (rule.clientAction && scope.isIntended(start)) continue;
      if (rule.notWithOurStaff && scope.isAboutOurStaff(start)) continue;
      if (scope.isNegated(start, end, pattern.negationIsMeaning ?? false)) continue;
      return { start, end };
    }
  }
  return null;
}

/** The source words behind a normalised match, widened to whole words. */
function excerpt(source: string, normalized: NormalizedText, span: { start: number; end: number }): string {
  let { start, end } = normalized.toSource(span.start, span.end);
  while (start > 0 && /[\p{L}\p{N}'’]/u.test(source[start - 1] ?? '')) start--;
  while (end < source.length && /[\p{L}\p{N}]/u.test(source[end] ?? '')) end++;
  const words = source.slice(start, end).replace(/\s+/g, ' ').trim();
  return words.length > MAX_EXCERPT ? `${words.slice(0, MAX_EXCERPT - 1)}…` : words;
}
