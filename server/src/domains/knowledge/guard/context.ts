/**
 * Secrets are announced by words ("mdp", "le code c'est", "cryptogramme") that
 * clients spell in every possible way, while the secret itself must be cut
 * from the original text to the exact character. So keywords are searched in
 * the normalised text (triage/normalize) and values are read back in the source.
 */
import { matchesOf } from '../triage/matches';
import { foldPattern, normalizeTextWithMap, type NormalizedText } from '../triage/normalize';

export interface Token {
  word: string;
  start: number;
  end: number;
}

export interface Span {
  start: number;
  end: number;
}

const CLAUSE_END = new Set(['.', '!', '?', ';', ',']);
const NOT_BEFORE_A_CODE = new Set(['au', 'aux', 'a', 'vers', 'chez', 'du', 'depuis', 'dans', 'avant', 'apres', 'en', 'sur', 'des', 'entre']);

export const foldedSet = (words: readonly string[]): ReadonlySet<string> => new Set(words.map(foldPattern));

export class ContextText {
  readonly normalized: NormalizedText;
  readonly tokens: Token[];

  constructor(readonly source: string) {
    this.normalized = normalizeTextWithMap(source);
    this.tokens = matchesOf(/\S+/g, this.normalized.text).map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
  }

  /** Index of the first token starting at or after a normalised offset. */
  tokenIndexAt(offset: number): number {
    let low = 0;
    let high = this.tokens.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.tokens[mid]?.start ?? 0) < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Source range of tokens [from, to] (inclusive). */
  sourceOf(from: number, to: number): Span {
    const first = this.tokens[from];
    const last = this.tokens[to];
    if (!first || !last) return { start: 0, end: 0 };
    return this.normalized.toSource(first.start, last.end);
  }

  /** The client's own words for a normalised match, for the agent-facing reason. */
  trigger(start: number, end: number): string {
    const span = this.normalized.toSource(start, end);
    return this.source.slice(span.start, span.end).replace(/\s+/g, ' ').trim();
  }

  isClauseEnd(index: number): boolean {
    return CLAUSE_END.has(this.tokens[index]?.word ?? '');
  }
}

/**
 * A run of digit-only tokens ("482913", "482 913", "4 8 2 9 1 3") right after
 * the announcing words, in the source. `null` when the first number met is not
 * such a run: a phone number, a date, an amount or a reference stops the search.
 */
export function digitsAfter(
  context: ContextText,
  from: number,
  options: { maxWords: number; minDigits: number; maxDigits: number; fillers: ReadonlySet<string> },
): (Span & { digits: string; skippedWords: boolean; lastToken: number }) | null {
  const { tokens } = context;
  let words = 0;
  for (let i = from; i < tokens.length && i - from < 12; i++) {
    const word = tokens[i]?.word ?? '';
    if (context.isClauseEnd(i) && !(word === ',' && i === from)) return null;
    if (!/\d/.test(word)) {
      if (!options.fillers.has(word) && ++words > options.maxWords) return null;
      continue;
    }
    // "au 33700", "à 14 h", "en 2024", "depuis 3615": a destination, a time or a date, not a code.
    if (NOT_BEFORE_A_CODE.has(tokens[i - 1]?.word ?? '')) return null;
    let last = i;
    while (/^\d+$/.test(tokens[last + 1]?.word ?? '') && last - i < 8) last++;
    const run = tokens.slice(i, last + 1).map((t) => t.word);
    const digits = run.join('');
    if (!run.every((w) => /^\d+$/.test(w)) || digits.length < options.minDigits || digits.length > options.maxDigits) return null;
    const span = context.sourceOf(i, last);
    if (!standsAlone(context.source, span)) return null;
    return { ...span, digits, skippedWords: words > 0, lastToken: last };
  }
  return null;
}

/** Not part of a reference (NUM-48213), a date, a time, a decimal or an amount. */
function standsAlone(source: string, span: Span): boolean {
  const before = source.slice(Math.max(0, span.start - 2), span.start);
  const after = source.slice(span.end, span.end + 8);
  if (/\p{L}$/u.test(before) || /[\p{L}\p{N}][-_/]$/u.test(before) || /\d[/.,:]$/.test(before)) return false;
  if (/^[/.,:h]\d/i.test(after) || /^[\p{L}]/u.test(after)) return false;
  return !/^\s?(?:€|euros?\b|eur\b|%|h\b|km\b|ans?\b|mois\b|jours?\b|fois\b|min\b|heures?\b)/iu.test(after);
}
