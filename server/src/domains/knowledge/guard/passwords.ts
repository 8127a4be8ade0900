import { matchesOf } from '../triage/matches';
import { foldPattern } from '../triage/normalize';
import { type ContextText, foldedSet } from './context';
import type { Detection } from './types';

const PASSWORD_WORDS = new RegExp(
  foldPattern('\\b(?:mots? de passe|mot passe|motdepasse|password|passwd|pwd|code secret|code d acces)\\b'),
  'g',
);

/** "c'est", ":", "est"… — the client is about to give the value. */
const CONNECTORS: readonly (readonly string[])[] = [
  ['c', 'est'],
  ['c', 'etait'],
  ['ce', 'sera'],
  ['est'],
  ['etait'],
  ['sera'],
  [':'],
  ['is'],
  ['egal'],
  ['egale'],
  ['vaut'],
];

// Between the keyword and the connector: "mon mot de passe [de ma boîte Gmail] c'est…".
const GLUE = foldedSet(['de', 'du', 'd', 'des', 'pour', 'sur', 'a', 'au', 'mon', 'ma', 'mes', 'la', 'le', 'l', 'les', 'ton', 'ta', 'son', 'sa', 'votre', 'nouveau', 'nouvel', 'ancien', 'actuel', 'provisoire', 'temporaire', 'compte', 'boite', 'mail', 'email', 'adresse', 'messagerie', 'session', 'espace', 'application', 'appli', 'site', 'my']);
const FILLERS = foldedSet(['bien', 'toujours', 'encore', 'juste', 'normalement', 'simplement', 'donc', 'alors', ':', 'tout', 'maintenant', 'desormais', 'actuellement']);
const CREDENTIAL_PAIR = foldedSet(['identifiant', 'identifiants', 'login', 'utilisateur', 'user', 'username', 'email', 'mail', 'adresse', 'id']);

/**
 * Words that follow "mot de passe est…" without being the password: "mon mot
 * de passe est bloqué / faux / le même / trop long".
 */
const NOT_A_VALUE = foldedSet([
  'le', 'la', 'les', 'un', 'une', 'des', 'mon', 'ma', 'mes', 'ton', 'ta', 'tes', 'son', 'sa', 'ses', 'notre', 'votre', 'leur', 'ce', 'cet', 'cette',
  'ca', 'cela', 'quoi', 'qui', 'que', 'quel', 'quelle', 'lequel', 'celui', 'celle', 'pas', 'plus', 'trop', 'tres', 'toujours', 'encore', 'deja',
  'bien', 'mal', 'juste', 'aussi', 'meme', 'pareil', 'different', 'identique', 'faux', 'fausse', 'vrai', 'bon', 'bonne', 'mauvais', 'correct',
  'incorrect', 'bloque', 'bloquee', 'oublie', 'oubliee', 'perdu', 'perdue', 'change', 'changee', 'modifie', 'expire', 'pirate', 'vole', 'refuse',
  'invalide', 'errone', 'accepte', 'enregistre', 'note', 'ecrit', 'demande', 'requis', 'necessaire', 'obligatoire', 'securise', 'simple',
  'complique', 'long', 'longue', 'court', 'courte', 'difficile', 'facile', 'nul', 'vide', 'valide', 'reconnu', 'dans', 'sur', 'sous', 'avec',
  'sans', 'pour', 'par', 'en', 'de', 'du', 'au', 'aux', 'a', 'et', 'ou', 'mais', 'donc', 'car', 'ni', 'si', 'comme', 'rien', 'tout', 'tous',
  'aucun', 'oui', 'non', 'ne', 'n', 'ok', 'okay', 'the', 'my', 'not', 'wrong', 'same', 'incorrecte', 'correcte', 'inconnu', 'inconnue',
  'oublier', 'changer', 'modifier', 'mettre', 'trouver', 'retrouver', 'recuperer', 'taper', 'saisir', 'creer', 'faire', 'quand', 'comment',
  'pourquoi', 'ici', 'la', 'dessus', 'dedans', 'devant', 'derriere', 'fort', 'forte', 'faible', 'securite', 'nouveau', 'nouvelle', 'ancien',
  'ancienne', 'temporaire', 'provisoire', 'il', 'elle', 'je', 'j', 'on', 'y', 'est', 'c', 'etait', 'sera', 'mot', 'passe', 'code',
]);

export const PASSWORD_MASK = '[mot de passe masqué]';

interface Candidate {
  tokenIndex: number;
  announced: boolean;
}

/** Passwords given in words: "mdp: Azerty123", "mon mot de passe c'est soleil", "identifiant jdupont mot de passe Ete2024!". */
export function detectPasswords(context: ContextText): Detection[] {
  const found: Detection[] = [];
  for (const m of matchesOf(PASSWORD_WORDS, context.normalized.text)) {
    const afterKeyword = context.tokenIndexAt(m.index + m[0].length);
    const candidate = valueAfter(context, afterKeyword) ?? { tokenIndex: afterKeyword, announced: false };
    const token = context.tokens[candidate.tokenIndex];
    if (!token || context.isClauseEnd(candidate.tokenIndex)) continue;
    const keywordEnd = context.normalized.toSource(m.index, m.index + m[0].length).end;
    const valueStart = context.sourceOf(candidate.tokenIndex, candidate.tokenIndex).start;
    const value = readValue(context.source, valueStart);
    if (!value) continue;
    const announced =
      candidate.announced || /[:=«"“]/.test(context.source.slice(keywordEnd, valueStart)) || value.quoted || afterCredential(context, m.index);
    if (!passwordLike(value.text, announced, value.quoted)) continue;
    found.push({
      kind: 'password',
      start: value.start,
      end: value.end,
      reason: `Mot de passe masqué (annoncé par « ${context.trigger(m.index, m.index + m[0].length)} »)`,
      mask: PASSWORD_MASK,
    });
  }
  return found;
}

/** Skips "de ma boîte Gmail" up to a connector; the token after it, or null when none is met. */
function valueAfter(context: ContextText, from: number): Candidate | null {
  let names = 0;
  for (let i = from; i < context.tokens.length && i - from < 6; ) {
    const connector = CONNECTORS.find((c) => c.every((w, k) => context.tokens[i + k]?.word === w));
    if (connector) {
      let next = i + connector.length;
      while (FILLERS.has(context.tokens[next]?.word ?? '')) next++;
      return { tokenIndex: next, announced: true };
    }
    const word = context.tokens[i]?.word ?? '';
    if (GLUE.has(word)) i++;
    else if (!NOT_A_VALUE.has(word) && /^[a-z0-9]+$/.test(word) && names < 2) {
      names++;
      i++;
    } else return null;
  }
  return null;
}

function afterCredential(context: ContextText, keywordStart: number): boolean {
  const index = context.tokenIndexAt(keywordStart);
  return context.tokens.slice(Math.max(0, index - 6), index).some((t) => CREDENTIAL_PAIR.has(t.word));
}

const QUOTES: Readonly<Record<string, string>> = { '"': '"', '«': '»', '“': '”', "'": "'", '‘': '’' };
// A password typed as a file name ("mdp_Azerty123.txt") keeps its extension visible.
const FILE_EXTENSION = /\.(?:txt|pdf|jpe?g|png|gif|heic|docx?|xlsx?|odt|ods|zip)$/i;

function readValue(text: string, start: number): { text: string; start: number; end: number; quoted: boolean } | null {
  const opening = /(["«“'‘])\s{0,2}$/u.exec(text.slice(Math.max(0, start - 3), start))?.[1];
  const closing = opening ? QUOTES[opening] : undefined;
  if (closing) {
    const end = text.indexOf(closing, start);
    const inner = end > start ? text.slice(start, end) : '';
    if (inner.trim() && inner.length <= 64 && !inner.includes('\n')) {
      const trimmed = inner.trimEnd();
      return { text: trimmed, start, end: start + trimmed.length, quoted: true };
    }
  }
  const raw = /^\S+/.exec(text.slice(start))?.[0] ?? '';
  // Sentence punctuation stuck to the end is not part of the password; "!" often is.
  const trimmed = raw.replace(/[.,;:?)\]}»"”’']+$/u, '').replace(FILE_EXTENSION, '');
  return trimmed ? { text: trimmed, start, end: start + trimmed.length, quoted: false } : null;
}

function passwordLike(value: string, announced: boolean, quoted: boolean): boolean {
  if (quoted) return value.length >= 3;
  const hasDigit = /\p{N}/u.test(value);
  const hasLetter = /\p{L}/u.test(value);
  const hasSymbol = /[^\p{L}\p{N}]/u.test(value);
  // "d'Ameli", "e-mail", "Jean-Pierre" are words, not passwords.
  const plainWords = /^\p{L}+(?:[-'’]\p{L}+)*$/u.test(value);
  const innerCapital = /\p{Ll}\p{Lu}/u.test(value);
  const shaped =
    value.length >= 4 && ((hasDigit && hasLetter) || (hasSymbol && hasDigit) || (hasSymbol && !plainWords) || (innerCapital && value.length >= 6));
  if (shaped) return true;
  if (!announced) return false;
  if (/^\d+$/.test(value)) return value.length >= 4;
  const word = foldPattern(value.toLowerCase());
  // French participles and adverbs describe the password, they are not it: "bloqué", "complètement".
  if (/^[ld]['’]/i.test(value)) return false; // "c'est l'anniversaire de ma fille" is a hint, not the password
  return value.length >= 3 && !NOT_A_VALUE.has(word) && !/(?:é|ée|és|ées)$/iu.test(value) && !/ment$/i.test(value);
}
