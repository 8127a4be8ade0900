/**
 * Decides whether a pattern match states a fact or not. "J'ai donné mon code"
 * is an emergency; "je n'ai pas donné mon code", "comment faire si un jour je
 * donne mon code" and "un SMS qui dit que votre compte est piraté" are not.
 * Works on normalised text (see normalize.ts).
 */
import { matchesOf } from './matches';
import { foldPattern } from './normalize';

const NEGATIONS = new Set(['pas', 'jamais', 'rien', 'aucun', 'aucune', 'sans', 'ni', 'non']);
// A possibility is not a fact: "j'ai peur que mon compte soit piraté", "quelqu'un peut-il se connecter ?"
const MODALS = new Set(['peut', 'peuvent', 'pourrait', 'pourraient', 'puisse', 'risque', 'risquent', 'soit', 'soient', 'serait', 'seraient']);
// Words that open a new clause or subject: a negation beyond them belongs to another verb
// ("je ne sais pas pourquoi j'ai donné mon code" still gave the code).
const CLAUSE_WORDS = new Set([
  'si', 'que', 'qu', 'quand', 'lorsque', 'pourquoi', 'comment', 'car', 'parce', 'puisque', 'mais', 'et', 'ou', 'donc', 'alors', 'puis',
  'je', 'j', 'tu', 'il', 'elle', 'on', 'nous', 'vous', 'ils', 'elles',
]);
const CLAUSE_PUNCTUATION = new Set([',', ';', ':', '.', '!', '?']);
const SENTENCE_END = /[.!?;]/g;

const GAP = (n: number) => `(?: [^ .!?;]+){0,${n}}`;

/**
 * Markers of a hypothetical, preventive or educational sentence. Each one
 * neutralises signals from the start of its own clause to the end of its
 * sentence, so "je me suis fait avoir, je voudrais un atelier" still counts.
 */
const HYPOTHETICAL = new RegExp(
  foldPattern(
    [
      '\\bsi jamais\\b',
      `\\bsi${GAP(6)} un jour\\b`,
      `\\bun jour${GAP(3)} si\\b`,
      '\\bau cas ou\\b',
      '\\ben cas d',
      '\\b(?:comment|que|quoi|qu est ce qu il faut|qu est ce que je dois|que dois je|qu est ce qu on doit)(?: (?:faire|fait|on fait|je fais))? (?:si|quand|lorsque|en cas)\\b',
      '\\bcomment (?:savoir|eviter|se proteger|me proteger|nous proteger|proteger|reconnaitre|reperer|prevenir|securiser|verifier|faire pour (?:eviter|ne pas))\\b',
      '\\bpour (?:eviter|se proteger|me proteger|ne pas (?:se|me) faire)\\b',
      '\\b(?:ateliers?|(?<!compte )formations?|un cours|des cours|sensibilisation|conferences?|webinaire|prevention|apprendre a|apprendre les)\\b',
      '\\bconseils? (?:pour|sur|contre)\\b',
      '\\b(?:expliquer|expliquez|c est quoi|qu est ce que c est|qu est ce qu un|qu est ce qu une|ce qu est|definition)\\b',
      '\\b(?:infos?|informations?|renseignements?|documentation|brochure|fiche|article) (?:sur|pour|contre)\\b',
      '\\bpeur (?:de me faire|de se faire|d etre|que|qu)\\b',
    ].join('|'),
  ),
  'g',
);

/**
 * "si je…" opens a condition about what follows ("il menace de diffuser la
 * vidéo si je ne paie pas" is still blackmail); it only reaches back over its
 * clause when the sentence is a question ("comment je bloque ma carte si je la perds ?").
 */
const CONDITIONAL = new RegExp(
  foldPattern(
    '(?<!sais pas )(?<!sait pas )(?<!savoir )(?<!demande )\\bsi (?:on|je|j|quelqu un|un inconnu|une personne|ma carte|mon compte|la banque|ma banque|un conseiller|un faux)\\b',
  ),
  'g',
);
const QUESTION_OPENING = new RegExp(
  foldPattern('^ ?(?:comment|que|quoi|qu est ce|est ce|pourquoi|quand|ou|peut on|puis je|dois je|faut il|je fais comment|on fait comment)\\b'),
);

/** Our hotline's own people and appointments. */
const OUR_STAFF = new RegExp(
  foldPattern('\\b(?:numi|omea|votre (?:technicien|technicienne|conseiller|conseillere|service)|(?:notre|mon|le|du) rendez vous)\\b'),
  'g',
);

/** What someone wants the client to do has not been done yet. */
const INTENTION = new RegExp(foldPattern('\\b(?:veut|veulent|voulait|voulaient|voudrait|voudraient|exige|exigent|souhaite|demande|faut il|faudrait) (?:que|qu) (?:je|j|on)\\b'), 'g');

/** An incident told as over and done with neutralises its whole sentence. */
const PAST_AND_SETTLED = new RegExp(
  foldPattern(
    "\\bil y a (?:\\d+|deux|trois|quatre|cinq|six|plusieurs|quelques) (?:ans|annees)\\b|\\bl (?:an|annee) (?:dernier|derniere|passee?)\\b|\\b(?:c est|c etait|tout est|ca s est) (?:bien )?(?:regle|resolu|arrange|termine|rentre dans l ordre)\\b",
  ),
  'g',
);

/** Doubt about one's own situation, asked as a question. */
const DOUBT = new RegExp(
  foldPattern('\\b(?:est ce que|est ce qu|ai je|aurais je|suis je|serais je|normal ou|ou bien|serait ce|ou alors|ou est ce)\\b'),
  'g',
);

/**
 * A message describing itself ("un SMS qui dit que votre carte est bloquée"),
 * or a caller's story told in the imperfect ("il disait que mon compte était
 * piraté"), is bait, not a fact.
 */
const REPORTED = new RegExp(
  foldPattern(
    `\\b(?:message|mail|email|sms|courrier|notification|alerte|fenetre|page|texto|lettre|site)${GAP(4)} (?:qui )?(?:dit|disait|dise|disent|disant|indique\\w*|affirme\\w*|pretend\\w*|annonce\\w*|explique\\w*|informe\\w*|signale\\w*)\\b|\\bcomme quoi\\b|\\b(?:c est|il est|c etait) (?:ecrit|marque|affiche) (?:que|qu)\\b|\\b(?:il|elle|ils|on)(?: m| me)? (?:disait|pretendait|affirmait|soutenait|racontait|expliquait) (?:que|qu)\\b`,
  ),
  'g',
);

interface Token {
  word: string;
  start: number;
}

export class MatchScope {
  private readonly tokens: Token[];
  private readonly tokenStarts: number[];
  private readonly sentenceEnds: number[];
  private readonly clauseEnds: number[];
  private readonly neutralised: Array<[number, number]> = [];
  private readonly reportedFrom: number[] = [];
  private readonly doubtFrom: number[] = [];
  private readonly intendedFrom: Array<[number, number]> = [];
  private readonly ourStaffAt: number[] = [];

  constructor(private readonly text: string) {
    this.tokens = matchesOf(/\S+/g, text).map((m) => ({ word: m[0], start: m.index }));
    this.tokenStarts = this.tokens.map((t) => t.start);
    this.sentenceEnds = matchesOf(SENTENCE_END, text).map((m) => m.index);
    this.clauseEnds = matchesOf(/[.!?;,:]/g, text).map((m) => m.index);
    for (const m of matchesOf(HYPOTHETICAL, text)) this.neutralised.push([this.clauseStart(m.index), this.sentenceEnd(m.index)]);
    for (const m of matchesOf(CONDITIONAL, text)) {
      const from = this.isQuestion(m.index) ? this.clauseStart(m.index) : m.index;
      this.neutralised.push([from, this.sentenceEnd(m.index)]);
    }
    for (const m of matchesOf(PAST_AND_SETTLED, text)) this.neutralised.push([this.sentenceStart(m.index), this.sentenceEnd(m.index)]);
    for (const m of matchesOf(DOUBT, text)) if (this.text[this.sentenceEnd(m.index)] === '?') this.doubtFrom.push(m.index);
    for (const m of matchesOf(INTENTION, text)) this.intendedFrom.push([m.index, this.sentenceEnd(m.index)]);
    for (const m of matchesOf(OUR_STAFF, text)) this.ourStaffAt.push(m.index);
    for (const m of matchesOf(REPORTED, text)) this.reportedFrom.push(m.index);
  }

  /** Inside a hypothetical, preventive or educational passage. */
  isHypothetical(start: number): boolean {
    return this.neutralised.some(([from, to]) => start >= from && start < to);
  }

  /** Preceded, in the same sentence, by a message that "says" something. */
  isReported(start: number): boolean {
    const sentenceStart = this.sentenceStart(start);
    return this.reportedFrom.some((at) => at >= sentenceStart && at <= start);
  }

  /** Inside "il veut que je…": a request, not an act. */
  isIntended(start: number): boolean {
    return this.intendedFrom.some(([from, to]) => start > from && start < to);
  }

  /** In a sentence about our own technicians or an appointment with them. */
  isAboutOurStaff(start: number): boolean {
    const from = this.sentenceStart(start);
    const to = this.sentenceEnd(start);
    return this.ourStaffAt.some((at) => at >= from && at < to);
  }

  /** After a doubt marker in a question: "c'est normal ou on m'a piraté ?" */
  isDoubted(start: number): boolean {
    const sentenceStart = this.sentenceStart(start);
    return this.doubtFrom.some((at) => at >= sentenceStart && at < start);
  }

  /**
   * A negation or a modal inside the match, or just before it in the same
   * verb phrase ("je n'ai pas | cliqué").
   */
  isNegated(start: number, end: number, negationIsMeaning: boolean): boolean {
    const first = firstAtOrAfter(this.tokenStarts, start);
    if (!negationIsMeaning) {
      const inside = this.tokens.slice(first, firstAtOrAfter(this.tokenStarts, end)).map((t) => t.word);
      if (inside.some((w, i) => NEGATIONS.has(w) || (MODALS.has(w) && !(w === 'peut' && inside[i + 1] === 'etre')))) return true;
    }
    let index = first - 1;
    for (let seen = 0; index >= 0 && seen < 3; index--, seen++) {
      const word = this.tokens[index]?.word ?? '';
      if (CLAUSE_PUNCTUATION.has(word) || CLAUSE_WORDS.has(word)) break;
      if (NEGATIONS.has(word)) return true;
    }
    return false;
  }

  private isQuestion(at: number): boolean {
    const end = this.sentenceEnd(at);
    if (this.text[end] === '?') return true;
    return QUESTION_OPENING.test(this.text.slice(this.sentenceStart(at), end));
  }

  private sentenceStart(at: number): number {
    return this.lastBoundaryBefore(this.sentenceEnds, at);
  }

  private sentenceEnd(at: number): number {
    const index = firstAtOrAfter(this.sentenceEnds, at);
    return this.sentenceEnds[index] ?? this.text.length;
  }

  private clauseStart(at: number): number {
    return this.lastBoundaryBefore(this.clauseEnds, at);
  }

  private lastBoundaryBefore(boundaries: readonly number[], at: number): number {
    const previous = boundaries[firstAtOrAfter(boundaries, at) - 1];
    return previous === undefined ? 0 : previous + 1;
  }
}

/** Binary search in ascending offsets. */
function firstAtOrAfter(sorted: readonly number[], at: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] ?? 0) < at) low = mid + 1;
    else high = mid;
  }
  return low;
}
