import { describe, it, expect } from 'vitest';
import { foldPattern, normalizeText, normalizeTextWithMap } from './normalize';

describe('normalizeText', () => {
  it.each([
    ["J'ai donné mon code à un monsieur de la BANQUE", 'j ai done mon code a un monsieur de la banque'],
    ['jai donner mon code', 'j ai doner mon code'],
    ['g cliqué sur le lien', 'j ai clique sur le lien'],
    ['le code c 482913', 'le code c est 482913'],
    ["c'est urgent", 'c est urgent'],
    ['au secouuuurs', 'au secours'],
    ['ya un message pr toi bcp de pb', 'il y a un mesage pour toi beaucoup de probleme'],
    ['mon mdp: Azerty', 'mon mot de pase : azerty'],
    ['kelkun a piraté mon fb', 'quelqu un a pirate mon facebok'],
    ['jsuis perdu, jpeux plus rien faire', 'je suis perdu , je peux plus rien faire'],
    ['Œuvre', 'oeuvre'],
    ['e\u0301te\u0301', 'ete'],
    ['  espaces \n\t multiples  ', 'espaces multiples'],
  ])('%s', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('keeps numbers whole: repeated digits, decimals, dotted phone numbers', () => {
    expect(normalizeText('code 1111, 1 250,50 € au 09.72.59.69.90')).toBe('code 1111 , 1 250,50 € au 09.72.59.69.90');
  });

  it('drops symbols but keeps sentence punctuation as separate tokens', () => {
    expect(normalizeText('NUM-48213 (urgent) !!')).toBe('num 48213 urgent ! !');
  });

  it('folds patterns the same way as text', () => {
    expect(foldPattern('mot de passe|appelé|\\bbitcoin\\s')).toBe('mot de pase|apele|\\bbitcoin\\s');
    expect(normalizeText('mot de passe appelé')).toBe('mot de pase apele');
  });
});

describe('normalizeTextWithMap', () => {
  it('maps a normalised range back to the source words', () => {
    const source = "Bonjour, mon MDP c'est Azerty123 !";
    const normalized = normalizeTextWithMap(source);
    const at = normalized.text.indexOf('azerty123');
    const span = normalized.toSource(at, at + 'azerty123'.length);
    expect(source.slice(span.start, span.end)).toBe('Azerty123');
  });

  it('maps an expanded SMS word back to the whole word typed', () => {
    const source = 'jai donner mon mdp';
    const normalized = normalizeTextWithMap(source);
    const at = normalized.text.indexOf('mot de pase');
    const span = normalized.toSource(at, at + 'mot de pase'.length);
    expect(source.slice(span.start, span.end)).toBe('mdp');
  });

  it('maps a collapsed run back to every repeated letter', () => {
    const source = 'au secouuuurs';
    const normalized = normalizeTextWithMap(source);
    const span = normalized.toSource(3, normalized.text.length);
    expect(source.slice(span.start, span.end)).toBe('secouuuurs');
  });
});
