/**
 * Folds messy French into one canonical form so that a single pattern (or a
 * search query) matches what clients really type: old phones without accents,
 * SMS spelling, stuttered letters, missing apostrophes.
 *
 * Canonical form: lower case, no accents, apostrophes and symbols turned into
 * spaces, punctuation as separate tokens, common SMS words expanded, and every
 * run of a repeated letter reduced to one letter ("appelle" → "apele",
 * "secouuurs" → "secours"). Collapsing doubles is lossy on purpose: clients
 * write "apeler"/"appeler" and "piratté"/"piraté" indifferently, so patterns
 * and indexed text must be folded the same way (see `foldPattern`).
 *
 * Digits are never collapsed: "1111" must stay a four-digit code.
 */

/** A normalised text plus a way back to the characters it came from. */
export interface NormalizedText {
  readonly text: string;
  /** Maps a [start, end) range of `text` back to the smallest source range that produced it. */
  toSource(start: number, end: number): { start: number; end: number };
}

interface Piece {
  ch: string;
  from: number;
  to: number;
}

const SENTENCE_PUNCTUATION = new Set(['.', ',', ';', ':', '!', '?']);

// Looked up after letter collapsing (so "jaiii" finds "jai"); keys are collapsed the same way below.
// SMS words whose collapsed form is a real word ("tt" → "t", "tte" → "te", "mm" → "m") are left out.
const SMS_SPELLINGS: Readonly<Record<string, string>> = {
  jai: "j ai",
  javais: 'j avais',
  jaurais: 'j aurais',
  jarrive: "j arrive",
  jetais: "j etais",
  jessaie: "j essaie",
  jessaye: "j essaye",
  jentre: "j entre",
  jen: "j en",
  jy: "j y",
  g: "j ai",
  jlai: 'je l ai',
  jle: 'je le',
  jla: 'je la',
  jles: 'je les',
  jlui: 'je lui',
  jme: 'je me',
  jte: 'je te',
  jsuis: 'je suis',
  jsui: 'je suis',
  sui: 'suis',
  fai: 'fait',
  fe: 'fait',
  chui: 'je suis',
  chuis: 'je suis',
  jpeux: 'je peux',
  jpeu: 'je peux',
  jpe: 'je peux',
  jpx: 'je peux',
  jsais: 'je sais',
  jsai: 'je sais',
  jsp: 'je ne sais pas',
  jcrois: 'je crois',
  jvais: 'je vais',
  jveux: 'je veux',
  jdois: 'je dois',
  cest: "c est",
  quil: "qu il",
  quils: "qu ils",
  quon: "qu on",
  sil: "s il",
  nest: "n est",
  ny: "n y",
  dautre: "d autre",
  dautres: "d autres",
  davoir: "d avoir",
  detre: "d etre",
  dun: "d un",
  largent: "l argent",
  lordi: "l ordinateur",
  lordinateur: "l ordinateur",
  lassurance: "l assurance",
  lappli: "l appli",
  lapplication: "l application",
  lecran: "l ecran",
  sest: "s est",
  ct: "c etait",
  cetait: "c etait",
  nai: "n ai",
  na: "n a",
  lai: "l ai",
  mavait: "m avait",
  mas: "m as",
  mont: "m ont",
  ya: 'il y a',
  yavait: 'il y avait',
  yen: 'il y en',
  k: 'que',
  ke: 'que',
  kil: "qu il",
  kel: 'quel',
  kelle: 'quelle',
  ki: 'qui',
  koi: 'quoi',
  kwa: 'quoi',
  keske: "qu est ce que",
  kesk: "qu est ce que",
  kelk: 'quelque',
  kelke: 'quelque',
  kelq: 'quelque',
  qlq: 'quelque',
  qq: 'quelque',
  kelkun: "quelqu un",
  kelkin: "quelqu un",
  qqn: "quelqu un",
  qqun: "quelqu un",
  quelquun: "quelqu un",
  qqch: 'quelque chose',
  qqc: 'quelque chose',
  pk: 'pourquoi',
  pq: 'pourquoi',
  pkoi: 'pourquoi',
  pourkoi: 'pourquoi',
  qd: 'quand',
  kan: 'quand',
  kand: 'quand',
  pr: 'pour',
  bcp: 'beaucoup',
  bcq: 'beaucoup',
  tjr: 'toujours',
  tjrs: 'toujours',
  toujour: 'toujours',
  ds: 'dans',
  dc: 'donc',
  ns: 'nous',
  vs: 'vous',
  ts: 'tous',
  stp: "s il te plait",
  svp: "s il vous plait",
  svpl: "s il vous plait",
  slt: 'salut',
  bjr: 'bonjour',
  bsr: 'bonsoir',
  mdp: 'mot de passe',
  msg: 'message',
  tel: 'telephone',
  ordi: 'ordinateur',
  fb: 'facebook',
  insta: 'instagram',
  wtsp: 'whatsapp',
  wsp: 'whatsapp',
  watsap: 'whatsapp',
  whatsap: 'whatsapp',
  cb: 'carte bancaire',
  pa: 'pas',
  po: 'pas',
  pb: 'probleme',
  pblm: 'probleme',
  pbm: 'probleme',
  mnt: 'maintenant',
  mtn: 'maintenant',
  auj: "aujourd hui",
  ajd: "aujourd hui",
  aujourdhui: "aujourd hui",
  rdv: 'rendez vous',
  dsl: 'desole',
  mrc: 'merci',
  tkt: "t inquiete",
  vrmt: 'vraiment',
  ac: 'avec',
  avc: 'avec',
  tro: 'trop',
  jamai: 'jamais',
  banq: 'banque',
};

const SMS_WORDS: ReadonlyMap<string, string> = new Map(
  Object.entries(SMS_SPELLINGS).map(([word, expansion]) => [collapseRepeatedLetters(word), expansion]),
);

// "c" alone is SMS for "c'est" ("le code c 482913") unless it already is the elided "c" of "c'est".
const AFTER_ELIDED_C = new Set(['est', 'etait', 'etais', 'a', 'ad']);

/**
 * The whole SMS word's expansion as written in full ("mdp" → "mot de passe"), or null. For search:
 * the stemmer must see "passe", not the folded "pase" (which stems elsewhere).
 */
export function smsExpansion(word: string): string | null {
  return SMS_WORDS.get(collapseRepeatedLetters(stripAccents(word.toLowerCase()))) ?? null;
}

/** Lower-cases, strips accents and collapses repeated letters in a regex source or literal. */
export function foldPattern(source: string): string {
  return collapseRepeatedLetters(stripAccents(source));
}

function stripAccents(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '');
}

function collapseRepeatedLetters(s: string): string {
  // A letter right after a backslash is regex syntax (\b, \s…), never part of a doubled letter.
  return s.replace(/(?<!\\)([a-z])\1+/g, '$1');
}

const FOLDED = new Map<string, string>([
  ['œ', 'oe'],
  ['Œ', 'oe'],
  ['æ', 'ae'],
  ['Æ', 'ae'],
  ['ß', 'ss'],
  ['€', '€'],
]);

function foldChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (ch.length === 1 && code < 128) {
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) return ch;
    if (code >= 65 && code <= 90) return String.fromCharCode(code + 32);
    return SENTENCE_PUNCTUATION.has(ch) ? ch : ' ';
  }
  let folded = FOLDED.get(ch);
  if (folded === undefined) {
    const base = stripAccents(ch).toLowerCase();
    folded = /^[a-z0-9]+$/.test(base) ? base : ' ';
    FOLDED.set(ch, folded);
  }
  return folded;
}

function foldCharacters(source: string): Piece[] {
  const pieces: Piece[] = [];
  let index = 0;
  for (const ch of source) {
    const from = index;
    index += ch.length;
    if (ch >= '\u0300' && /\p{M}/u.test(ch)) {
      // A combining accent (text typed in NFD) belongs to the letter before it.
      const previous = pieces[pieces.length - 1];
      if (previous) previous.to = index;
      continue;
    }
    for (const out of foldChar(ch)) pieces.push({ ch: out, from, to: index });
  }
  return pieces;
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/** Splits into word and punctuation tokens; "09.72" and "1,50" stay one token. */
function tokenize(pieces: Piece[]): Piece[][] {
  const tokens: Piece[][] = [];
  let current: Piece[] = [];
  const flush = () => {
    if (current.length > 0) tokens.push(current);
    current = [];
  };
  pieces.forEach((piece, i) => {
    if (piece.ch === ' ') return flush();
    const isPunctuation = SENTENCE_PUNCTUATION.has(piece.ch) || piece.ch === '€';
    const insideNumber = isPunctuation && piece.ch !== '€' && isDigit(pieces[i - 1]?.ch) && isDigit(pieces[i + 1]?.ch);
    if (isPunctuation && !insideNumber) {
      flush();
      tokens.push([piece]);
      return;
    }
    current.push(piece);
  });
  flush();
  return tokens;
}

function collapseToken(token: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const piece of token) {
    const last = out[out.length - 1];
    if (last && last.ch === piece.ch && /[a-z]/.test(piece.ch)) {
      last.to = piece.to;
      continue;
    }
    out.push({ ...piece });
  }
  return out;
}

function expandSms(tokens: Piece[][]): Piece[][] {
  return tokens.map((token, i) => {
    const word = token.map((p) => p.ch).join('');
    const next = tokens[i + 1]?.map((p) => p.ch).join('');
    let expansion = SMS_WORDS.get(word);
    if (word === 'c' && (next === undefined || !AFTER_ELIDED_C.has(next))) expansion = "c est";
    if (expansion === undefined) return token;
    const from = token[0]?.from ?? 0;
    const to = token[token.length - 1]?.to ?? from;
    return collapseRepeatedLetters(expansion)
      .split('')
      .map((ch) => ({ ch, from, to }));
  });
}

/** Normalises `source` and keeps, for every output character, the source range it came from. */
export function normalizeTextWithMap(source: string): NormalizedText {
  const tokens = expandSms(tokenize(foldCharacters(source)).map(collapseToken));
  const pieces: Piece[] = [];
  tokens.forEach((token, i) => {
    if (i > 0) {
      const previous = pieces[pieces.length - 1];
      const start = previous?.to ?? 0;
      pieces.push({ ch: ' ', from: start, to: start });
    }
    pieces.push(...token);
  });
  const text = pieces.map((p) => p.ch).join('');
  return {
    text,
    toSource(start, end) {
      const first = pieces[Math.max(0, Math.min(start, pieces.length - 1))];
      const last = pieces[Math.max(0, Math.min(end - 1, pieces.length - 1))];
      if (!first || !last) return { start: 0, end: 0 };
      return { start: first.from, end: Math.max(first.from, last.to) };
    },
  };
}

/** Normalised form only, for matching and search indexing. */
export function normalizeText(source: string): string {
  return normalizeTextWithMap(source).text;
}
