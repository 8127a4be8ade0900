import { describe, it, expect } from 'vitest';
import { guardSecrets } from './index';

/** Everyday messages that must reach the agent unchanged. */
const UNTOUCHED: ReadonlyArray<readonly [string, string]> = [
  // Phone numbers, in every format clients use
  ['mobile', 'rappelez-moi au 06 12 34 56 78 svp'],
  ['mobile, no spaces', 'mon numéro 0612345678'],
  ['international', 'mon numéro est le +33 6 12 34 56 78'],
  ['international 0033', 'appelez le 0033 6 12 34 56 78'],
  ['dotted', 'le numéro de numi 09.72.59.69.90'],
  ['dashed', 'tel 01-23-45-67-89'],
  ['two numbers in a row', 'fixe 01 23 45 67 89 portable 06 12 34 56 78'],
  ['phone after "code"', 'le code est arrivé sur le 06 12 34 56 78'],
  ['phone after "mot de passe"', "mot de passe envoyé au 0612345678 c'est ça ?"],
  // References, dates, amounts
  ['ticket number', 'mon ticket NUM-48213 est toujours ouvert'],
  ['ticket number after "code"', 'le code de mon ticket NUM-48213'],
  ['date', 'rendez-vous le 12/03/2024 à 14h30'],
  ['date with dashes', 'facture du 2024-03-12'],
  ['amount', 'on m’a débité 1 250,00 € hier'],
  ['amount after "code"', 'le code promo donne 1250 € de réduction'],
  ['amount right after a code word', 'le code coûte 2500 euros ?'],
  ['postcode', "j'habite au 12 rue des Lilas 75011 Paris"],
  ['code postal', 'code postal 75011'],
  ['code postal SMS', 'mon code postal c 69003'],
  ['year', "j'ai acheté mon ordinateur en 2019"],
  ['year after code', "j'ai reçu un code en 2024, il ne marche plus"],
  ['SIRET', 'SIRET 732 829 320 00074'],
  ['SIRET in the Diners range', 'notre SIRET : 380 129 866 48237'],
  ['SIRET grouping without keyword', 'association 380 129 866 48237'],
  ['SIREN', 'SIREN 732 829 320'],
  ['order number failing Luhn', 'commande n° 4242 4242 4242 4241'],
  ['16 digits failing Luhn', '1234567812345678'],
  ['16 digits not a card prefix', 'référence 1234 5678 1234 5670'],
  ['long reference', 'numéro de suivi 8J00123456789012345'],
  ['BIC alone', 'le BIC est BNPAFRPPXXX'],
  ['invalid IBAN checksum', 'FR76 3000 6000 0112 3456 7890 188'],
  ['IBAN-looking word', 'le modèle FR12 de ma box'],
  // Passwords mentioned without a value
  ['forgot password', "j'ai oublié mon mot de passe"],
  ['forgot password, service name', "j'ai oublié mon mot de passe Ameli"],
  ['password blocked', 'mon mot de passe est bloqué'],
  ['password wrong', 'le mot de passe est faux ou incorrect'],
  ['password no longer works', 'mon mdp ne marche plus depuis hier'],
  ['password question', 'comment changer mon mot de passe ?'],
  ['password length', 'le mot de passe doit faire 12 caractères'],
  ['password hint', "mon mot de passe c'est le prénom de ma fille"],
  ['password is the same', "le mot de passe c'est le même que d'habitude"],
  ['password still refused', 'mon mot de passe est toujours refusé'],
  ['password with an elided noun', "mon mot de passe c'est l'anniversaire de ma fille"],
  ['password of a service', "le mot de passe d'Ameli"],
  ['password then e-mail', 'mot de passe e-mail perdu'],
  ['password reset', 'réinitialiser le mot de passe Gmail'],
  ['code words without a code', 'le code ne marche pas, je n’ai rien reçu par SMS'],
  ['code wifi', 'le code wifi est sous la box'],
  ['error code', "code d'erreur 0x80070005"],
  ['error code 404', 'code erreur 4042 sur le site'],
  ['digicode', 'le code de la porte est 2580'],
  ['short code', 'le code à 6 chiffres ne marche pas'],
  ['time after sms', 'le sms est arrivé à 14h30'],
  ['sms to a short number', 'transférez le SMS au 33700'],
  ['card mention without a number', 'ma carte bancaire est expirée depuis 04/24'],
  ['CVV question', "c'est quoi le cryptogramme ?"],
];

describe('guardSecrets leaves ordinary messages alone', () => {
  it.each(UNTOUCHED)('%s', (_why, text) => {
    expect(guardSecrets(text)).toEqual({ text, findings: [] });
  });
});
