import { describe, it, expect } from 'vitest';
import { secretWarningMessage } from './index';

describe('secretWarningMessage', () => {
  it('names what was hidden and says it will never be asked for', () => {
    expect(secretWarningMessage(['password'])).toBe(
      'Pour votre sécurité, nous avons masqué votre mot de passe dans votre message. ' +
        "Ne le communiquez jamais à personne, même à quelqu'un qui dit appeler de votre banque. " +
        'Un conseiller ne vous le demandera jamais.',
    );
  });

  it('tells the client to come back to us when someone asked for a code', () => {
    const message = secretWarningMessage(['otp_code']);
    expect(message).toContain('nous avons masqué le code reçu par SMS');
    expect(message).toContain("Si quelqu'un vous a demandé ce code, dites-le-nous tout de suite.");
  });

  it('groups card details into one plain phrase', () => {
    expect(secretWarningMessage(['cvv', 'card_number', 'card_expiry'])).toBe(
      'Pour votre sécurité, nous avons masqué les informations de votre carte bancaire dans votre message. ' +
        "Ne les communiquez jamais à personne, même à quelqu'un qui dit appeler de votre banque. " +
        'Un conseiller ne vous les demandera jamais.',
    );
  });

  it('agrees the pronoun with a feminine noun', () => {
    expect(secretWarningMessage(['card_expiry'])).toContain('Ne la communiquez jamais');
    expect(secretWarningMessage(['card_expiry'])).toContain('ne vous la demandera jamais');
  });

  it('lists several kinds in a fixed order, whatever the input order and repetitions', () => {
    expect(secretWarningMessage(['password', 'otp_code', 'password'])).toMatch(
      /^Pour votre sécurité, nous avons masqué le code reçu par SMS et votre mot de passe dans votre message\. Ne les communiquez jamais/,
    );
  });

  it('does not scare the client about an IBAN, which is not dangerous to share', () => {
    const message = secretWarningMessage(['iban']);
    expect(message).toBe(
      "Pour votre sécurité, nous avons masqué votre IBAN dans votre message. Nous n'en avons pas besoin pour vous aider : inutile de nous l'envoyer.",
    );
    expect(message).not.toContain('jamais');
  });

  it('warns only about the dangerous part when an IBAN comes with a password', () => {
    const message = secretWarningMessage(['iban', 'password']);
    expect(message).toContain('nous avons masqué votre mot de passe et votre IBAN');
    expect(message).toContain('Ne communiquez jamais votre mot de passe à personne');
    expect(message).toContain('Un conseiller ne vous le demandera jamais.');
  });

  it('stays short even when everything was masked at once', () => {
    const message = secretWarningMessage(['card_number', 'cvv', 'card_pin', 'otp_code', 'password', 'iban']);
    expect(message).toContain('des informations confidentielles (carte bancaire, code de carte, code reçu par SMS, mot de passe et IBAN)');
    expect(message).toContain('Ne communiquez jamais vos codes, mots de passe ou informations de carte à personne');
    expect(message.length).toBeLessThan(420);
  });

  it('is empty when nothing was masked', () => {
    expect(secretWarningMessage([])).toBe('');
  });
});
