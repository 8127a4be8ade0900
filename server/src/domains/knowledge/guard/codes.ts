import { matchesOf } from '../triage/matches';
import { foldPattern } from '../triage/normalize';
import { type ContextText, digitsAfter, foldedSet } from './context';
import type { Detection, SecretKind } from './types';

// Words that may sit between "code" and the code without making it less of a code.
const FILLERS = foldedSet([
  'c', 'est', 'etait', ':', 'le', 'la', 'mon', 'ma', 'ton', 'votre', 'son', 'suivant', 'suivante', 'recu', 'recus', 'que', 'qu',
  'j', 'ai', 'on', 'm', 'a', 'envoye', 'par', 'sms', 'texto', 'voici', 'voila', 'numero', 'de', 'validation', 'confirmation',
  'verification', 'securite', 'ci', 'dessous', 'bien', 'donc', 'alors', 'il', 'y', 'je', 'vous', 'ce', 'un', 'une', 'carte', 'bancaire',
]);

const NOT_A_SECRET_CODE =
  ' postal| postaux| promo\\w*| wifi| wi fi| du wifi| de wifi| de la box| de la porte| de porte| d entree| de l immeuble| portail| du portail| de l alarme| client| de parrainage| parrainage| de reduction| reduction| cadeau| d erreur| erreur| naf| ape| insee| de la route| iban| bic| swift| banque| guichet| article| produit| barres?| source| couleur| html| de deverrouillage| d activation windows';

const CARD_WORDS = 'carte(?: bancaire| bleue| de credit| visa| mastercard)?|cb';

interface CodeRule {
  kind: SecretKind;
  announce: RegExp;
  minDigits: number;
  maxDigits: number;
  /** Words other than fillers allowed between the announcing words and the digits. */
  maxWords: number;
  mask: string;
  reason: (trigger: string) => string;
}

const rule = (source: string) => new RegExp(foldPattern(source), 'g');

/** Most specific first: a card PIN is also "a code". */
const CODE_RULES: readonly CodeRule[] = [
  {
    kind: 'card_pin',
    announce: rule(`\\b(?:code (?:de |d )?(?:ma |la |mon |sa |votre )?(?:${CARD_WORDS})|code (?:secret|confidentiel|pin)|code de carte|pin)\\b`),
    minDigits: 4,
    maxDigits: 6,
    maxWords: 2,
    mask: '[code masqué]',
    reason: (t) => `Code secret de carte bancaire masqué (annoncé par « ${t} »)`,
  },
  {
    kind: 'cvv',
    announce: rule(
      '\\b(?:cryptogramme|crypto|cvv2?|cvc2?|code de securite|code securite|code au dos|numero au dos|chiffres (?:au dos|derriere|de derriere|du dos|a l arriere|au verso))\\b',
    ),
    minDigits: 3,
    maxDigits: 4,
    maxWords: 2,
    mask: '•••',
    reason: (t) => `Cryptogramme de carte masqué (annoncé par « ${t} »)`,
  },
  {
    kind: 'otp_code',
    announce: rule(`\\b(?:codes?(?!${NOT_A_SECRET_CODE})|otp|3d secure|3 d secure|3ds|cle d activation)\\b`),
    minDigits: 4,
    maxDigits: 8,
    maxWords: 3,
    mask: '[code masqué]',
    reason: (t) => `Code de validation masqué (annoncé par « ${t} »)`,
  },
  {
    kind: 'otp_code',
    announce: rule('\\b(?:sms|texto)\\b'),
    minDigits: 4,
    maxDigits: 8,
    maxWords: 1,
    mask: '[code masqué]',
    reason: (t) => `Code reçu par SMS masqué (annoncé par « ${t} »)`,
  },
];

const YEAR = /^(?:19|20)\d{2}$/;
const LIST_LINKS = new Set(['et', 'ou', 'puis', ',']);

/** One-time codes, card PINs and CVVs announced by words ("le code c 482913", "cryptogramme 123"). */
export function detectCodes(context: ContextText): Detection[] {
  const found: Detection[] = [];
  for (const codeRule of CODE_RULES) {
    for (const m of matchesOf(codeRule.announce, context.normalized.text)) {
      const reason = codeRule.reason(context.trigger(m.index, m.index + m[0].length));
      let value = digitsAfter(context, context.tokenIndexAt(m.index + m[0].length), { ...codeRule, fillers: FILLERS });
      // "le code que j'ai reçu en 2024" is a year, "mon code c'est 2019" may be a PIN.
      if (value && value.skippedWords && YEAR.test(value.digits)) continue;
      while (value) {
        found.push({ kind: codeRule.kind, start: value.start, end: value.end, reason, mask: codeRule.mask });
        // "deux codes, 4821 et 9932": the next ones of a list.
        const link = context.tokens[value.lastToken + 1]?.word ?? '';
        value = LIST_LINKS.has(link) ? digitsAfter(context, value.lastToken + 2, { ...codeRule, maxWords: 0, fillers: FILLERS }) : null;
      }
    }
  }
  return found;
}
