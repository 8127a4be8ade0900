import type { SecretKind } from './types';

interface Wording {
  kind: SecretKind;
  /** "votre mot de passe" */
  noun: string;
  /** For lists of three or more: "mot de passe". */
  short: string;
  /** Pronoun that stands for it: "ne vous le demandera jamais". */
  pronoun: 'le' | 'la' | 'les';
}

// Order in which they are listed to the client: the most dangerous first.
const WORDINGS: readonly Wording[] = [
  { kind: 'card_number', noun: 'votre numéro de carte bancaire', short: 'numéro de carte', pronoun: 'le' },
  { kind: 'card_expiry', noun: "la date d'expiration de votre carte", short: "date d'expiration", pronoun: 'la' },
  { kind: 'cvv', noun: 'le cryptogramme de votre carte', short: 'cryptogramme', pronoun: 'le' },
  { kind: 'card_pin', noun: 'le code secret de votre carte', short: 'code de carte', pronoun: 'le' },
  { kind: 'otp_code', noun: 'le code reçu par SMS', short: 'code reçu par SMS', pronoun: 'le' },
  { kind: 'password', noun: 'votre mot de passe', short: 'mot de passe', pronoun: 'le' },
  { kind: 'iban', noun: 'votre IBAN', short: 'IBAN', pronoun: 'le' },
];

const CARD_DETAILS: ReadonlySet<SecretKind> = new Set(['card_number', 'card_expiry', 'cvv']);
const CARD: Wording = { kind: 'card_number', noun: 'les informations de votre carte bancaire', short: 'carte bancaire', pronoun: 'les' };

function list(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} et ${words[words.length - 1]}`;
}

/** Two things are named in full; more become one short list, so the message stays readable. */
function describe(wordings: readonly Wording[]): string {
  return wordings.length <= 2 ? list(wordings.map((w) => w.noun)) : `des informations confidentielles (${list(wordings.map((w) => w.short))})`;
}

/**
 * The message sent automatically to a client whose message contained secrets.
 * Short sentences, no jargon: many clients are elderly and already worried.
 * An IBAN alone is not dangerous to share, so it gets no "never give it" warning.
 * Empty string when nothing was masked.
 */
export function secretWarningMessage(kinds: readonly SecretKind[]): string {
  let present = WORDINGS.filter((w) => kinds.includes(w.kind));
  if (present.length === 0) return '';
  if (present.filter((w) => CARD_DETAILS.has(w.kind)).length > 1) present = [CARD, ...present.filter((w) => !CARD_DETAILS.has(w.kind))];
  const sentences = [`Pour votre sécurité, nous avons masqué ${describe(present)} dans votre message.`];

  const neverShare = present.filter((w) => w.kind !== 'iban');
  if (neverShare.length === 0) {
    sentences.push("Nous n'en avons pas besoin pour vous aider : inutile de nous l'envoyer.");
    return sentences.join(' ');
  }
  const pronoun = neverShare.length === 1 && neverShare[0] ? neverShare[0].pronoun : 'les';
  const never =
    neverShare.length === present.length
      ? `Ne ${pronoun} communiquez jamais`
      : `Ne communiquez jamais ${neverShare.length === 1 ? neverShare[0]?.noun : 'vos codes, mots de passe ou informations de carte'}`;
  sentences.push(`${never} à personne, même à quelqu'un qui dit appeler de votre banque.`);
  sentences.push(`Un conseiller ne vous ${pronoun} demandera jamais.`);
  if (neverShare.some((w) => w.kind === 'otp_code' || w.kind === 'card_pin')) {
    const code = neverShare.length === 1 ? 'ce code' : 'un code';
    sentences.push(`Si quelqu'un vous a demandé ${code}, dites-le-nous tout de suite.`);
  }
  return sentences.join(' ');
}
