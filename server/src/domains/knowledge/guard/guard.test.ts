import { describe, it, expect } from 'vitest';
import { guardSecrets } from './index';
import type { SecretKind } from './types';

const masked = (text: string) => guardSecrets(text).text;
const kinds = (text: string) => guardSecrets(text).findings.map((f) => f.kind);

describe('guardSecrets — card numbers', () => {
  it.each([
    ['4242424242424242', '•••• •••• •••• 4242'],
    ['ma carte 4242 4242 4242 4242 voilà', 'ma carte •••• •••• •••• 4242 voilà'],
    ['cb: 5555-5555-5555-4444.', 'cb: •••• •••• •••• 4444.'],
    ['4242.4242.4242.4242', '•••• •••• •••• 4242'],
    ['amex 3782 822463 10005', 'amex •••• •••• •••• 0005'],
    ['diners 3056 930902 5904', 'diners •••• •••• •••• 5904'],
    ['visa 19 chiffres 4000 0000 0000 0000 006', 'visa 19 chiffres •••• •••• •••• 0006'],
    ['espaces insécables 4242\u00a04242\u00a04242\u00a04242', 'espaces insécables •••• •••• •••• 4242'],
    ['double espace 4242  4242  4242  4242', 'double espace •••• •••• •••• 4242'],
    ['carte_5555555555554444.jpg', 'carte_•••• •••• •••• 4444.jpg'],
    ['carte4242424242424242.jpg', 'carte•••• •••• •••• 4242.jpg'],
    ['NFD accents autour : carte bancaire\u0301 4242424242424242', 'NFD accents autour : carte bancaire\u0301 •••• •••• •••• 4242'],
  ])('%s', (text, expected) => {
    expect(masked(text)).toBe(expected);
  });

  it('says why, for the agent, and where', () => {
    const text = 'Ma carte : 4242 4242 4242 4242';
    const { findings, text: out } = guardSecrets(text);
    expect(findings).toEqual([
      {
        kind: 'card_number',
        start: 11,
        end: 30,
        maskedStart: 11,
        maskedEnd: 30,
        reason: "Numéro de carte bancaire masqué (vérifié par l'algorithme de Luhn)",
      },
    ]);
    expect(out.slice(11, 30)).toBe('•••• •••• •••• 4242');
  });

  it('masks the expiry date and the CVV typed next to the card', () => {
    expect(masked('4242 4242 4242 4242 exp 04/27 cvv 123')).toBe('•••• •••• •••• 4242 exp ••/•• cvv •••');
    expect(masked('4242424242424242 04/2027 123')).toBe('•••• •••• •••• 4242 ••/•• •••');
    expect(masked('carte 5555 5555 5555 4444, expire fin 0427')).toBe('carte •••• •••• •••• 4444, expire fin ••/••');
    expect(masked('valable jusqu’au 11/26 : 4242 4242 4242 4242')).toBe('valable jusqu’au ••/•• : •••• •••• •••• 4242');
    expect(kinds('4242 4242 4242 4242 04/27 123')).toEqual(['card_number', 'card_expiry', 'cvv']);
  });

  it('keeps the card when a CVV is glued to it as a fifth group', () => {
    expect(masked('4242 4242 4242 4242 123')).toBe('•••• •••• •••• 4242 •••');
  });

  it('masks two cards in one message', () => {
    expect(masked('4242 4242 4242 4242 et 5555 5555 5555 4444')).toBe('•••• •••• •••• 4242 et •••• •••• •••• 4444');
  });
});

describe('guardSecrets — CVV, PIN and one-time codes announced in words', () => {
  it.each<[string, string, SecretKind]>([
    ['le cryptogramme c’est 123', 'le cryptogramme c’est •••', 'cvv'],
    ['les 3 chiffres derrière la carte : 456', 'les 3 chiffres derrière la carte : •••', 'cvv'],
    ['CVV 789', 'CVV •••', 'cvv'],
    ['mon code de carte c’est 1234', 'mon code de carte c’est [code masqué]', 'card_pin'],
    ['code confidentiel 4321', 'code confidentiel [code masqué]', 'card_pin'],
    ['le code de ma cb c 9876', 'le code de ma cb c [code masqué]', 'card_pin'],
    ['mon code secret est 2580', 'mon code secret est [code masqué]', 'card_pin'],
    ['le code c 482913', 'le code c [code masqué]', 'otp_code'],
    ['jai recu le code 482913', 'jai recu le code [code masqué]', 'otp_code'],
    ['Le code de validation reçu par SMS est 482 913.', 'Le code de validation reçu par SMS est [code masqué].', 'otp_code'],
    ["on m'a demandé le code, c'est 5521", "on m'a demandé le code, c'est [code masqué]", 'otp_code'],
    ['code 3D Secure : 74102', 'code 3D Secure : [code masqué]', 'otp_code'],
    ['le code que j’ai reçu par sms ce matin c’est 4 8 2 9 1 3', 'le code que j’ai reçu par sms ce matin c’est [code masqué]', 'otp_code'],
    ['j’ai reçu un SMS 739104 je dois le donner ?', 'j’ai reçu un SMS [code masqué] je dois le donner ?', 'otp_code'],
    ['CODE DE VERIFICATION: 00451234', 'CODE DE VERIFICATION: [code masqué]', 'otp_code'],
  ])('%s', (text, expected, kind) => {
    const result = guardSecrets(text);
    expect(result.text).toBe(expected);
    expect(result.findings.map((f) => f.kind)).toEqual([kind]);
  });

  it('masks every code of a list', () => {
    expect(masked("J'ai reçu 2 SMS avec des codes 4821 et 9932")).toBe("J'ai reçu 2 SMS avec des codes [code masqué] et [code masqué]");
    expect(masked('les codes 4821, 9932 et 1290 !')).toBe('les codes [code masqué], [code masqué] et [code masqué] !');
    expect(masked('le code 4821, et mon numéro 06 12 34 56 78')).toBe('le code [code masqué], et mon numéro 06 12 34 56 78');
  });

  it('reads a PIN typed digit by digit', () => {
    expect(masked("le code de ma carte bleue c'est le 1 2 3 4")).toBe("le code de ma carte bleue c'est le [code masqué]");
  });

  it('masks a code and keeps the phone number next to it', () => {
    expect(masked('envoyez le code 12345 au 06 12 34 56 78')).toBe('envoyez le code [code masqué] au 06 12 34 56 78');
  });

  it('names the words that announced the code', () => {
    expect(guardSecrets('jai recu le code 482913').findings[0]?.reason).toBe('Code de validation masqué (annoncé par « code »)');
    expect(guardSecrets('Mon CODE CONFIDENTIEL: 1234').findings[0]?.reason).toBe(
      'Code secret de carte bancaire masqué (annoncé par « CODE CONFIDENTIEL »)',
    );
  });
});

describe('guardSecrets — IBAN', () => {
  it.each([
    ['IBAN : FR76 3000 6000 0112 3456 7890 189 merci', 'IBAN : FR76 •••• … 189 merci'],
    ['mon iban fr7630006000011234567890189', 'mon iban FR76 •••• … 189'],
    ['FR14 2004 1010 0505 0001 3M02 606', 'FR14 •••• … 606'],
    ['DE89 3704 0044 0532 0130 00', 'DE89 •••• … 000'],
    ['GB29NWBK60161331926819', 'GB29 •••• … 819'],
    ['compte belge BE68-5390-0754-7034.', 'compte belge BE68 •••• … 034.'],
    ['RIB_CH9300762011623852957.pdf', 'RIB_CH93 •••• … 957.pdf'],
  ])('%s', (text, expected) => {
    const result = guardSecrets(text);
    expect(result.text).toBe(expected);
    expect(result.findings.map((f) => f.kind)).toEqual(['iban']);
    expect(result.findings[0]?.reason).toBe('IBAN masqué (clé de contrôle vérifiée)');
  });

  it('does not read the digits of an IBAN as a card', () => {
    expect(kinds('FR76 3000 6000 0112 3456 7890 189')).toEqual(['iban']);
  });
});

describe('guardSecrets — passwords in context', () => {
  it.each([
    ["mon mot de passe c'est Azerty123", "mon mot de passe c'est [mot de passe masqué]"],
    ['mdp: soleil', 'mdp: [mot de passe masqué]'],
    ['MDP=Tulipe', 'MDP=[mot de passe masqué]'],
    ['le mot de passe est Marguerite', 'le mot de passe est [mot de passe masqué]'],
    ['password Azerty123!', 'password [mot de passe masqué]'],
    ['password: hunter2', 'password: [mot de passe masqué]'],
    ['mon code secret est chaton75', 'mon code secret est [mot de passe masqué]'],
    ['identifiant jdupont mot de passe Ete2024!', 'identifiant jdupont mot de passe [mot de passe masqué]'],
    ['identifiant: jean.dupont@orange.fr mot de passe: soleil', 'identifiant: jean.dupont@orange.fr mot de passe: [mot de passe masqué]'],
    ['mon mdp cest Azerty123', 'mon mdp cest [mot de passe masqué]'],
    ['mon mdp c Azerty123 voila', 'mon mdp c [mot de passe masqué] voila'],
    ['mon mot de passe gmail c’est toujours pomme', 'mon mot de passe gmail c’est toujours [mot de passe masqué]'],
    ['le mot de passe de ma boite mail est Ch@t0n', 'le mot de passe de ma boite mail est [mot de passe masqué]'],
    ['mon mot de passe c’est « jardin fleuri »', 'mon mot de passe c’est « [mot de passe masqué] »'],
    ['mdp "mon chat"', 'mdp "[mot de passe masqué]"'],
    ['Mot de passe : 19550312.', 'Mot de passe : [mot de passe masqué].'],
    ['mdp_Azerty123.txt', 'mdp_[mot de passe masqué].txt'],
  ])('%s', (text, expected) => {
    const result = guardSecrets(text);
    expect(result.text).toBe(expected);
    expect(result.findings.map((f) => f.kind)).toEqual(['password']);
  });

  it('masks the value, not the words, and says what announced it', () => {
    const text = 'Bonjour, mon MDP c’est Azerty123, merci';
    const [finding] = guardSecrets(text).findings;
    expect(text.slice(finding?.start, finding?.end)).toBe('Azerty123');
    expect(finding?.reason).toBe('Mot de passe masqué (annoncé par « MDP »)');
  });
});

describe('guardSecrets — output', () => {
  it('gives mask positions in the returned text', () => {
    const text = 'mdp: soleil et carte 4242 4242 4242 4242 et code 482913';
    const result = guardSecrets(text);
    expect(result.findings.map((f) => result.text.slice(f.maskedStart, f.maskedEnd))).toEqual([
      '[mot de passe masqué]',
      '•••• •••• •••• 4242',
      '[code masqué]',
    ]);
    expect(result.findings.map((f) => text.slice(f.start, f.end))).toEqual(['soleil', '4242 4242 4242 4242', '482913']);
  });

  it('returns the text untouched when there is nothing to hide', () => {
    const text = 'Bonjour, mon ordinateur est lent depuis hier.';
    expect(guardSecrets(text)).toEqual({ text, findings: [] });
    expect(guardSecrets('')).toEqual({ text: '', findings: [] });
  });

  it('never leaves the secret anywhere in the stored text', () => {
    const secrets = ['4242424242424242', 'Azerty123', '482913', 'FR7630006000011234567890189'];
    const out = guardSecrets(`cb 4242424242424242, mdp Azerty123, code 482913, iban FR7630006000011234567890189`).text;
    for (const secret of secrets) expect(out).not.toContain(secret);
  });
});
