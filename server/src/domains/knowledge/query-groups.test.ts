import { describe, expect, it } from 'vitest';
import { queryGroups, queryTerms } from './knowledge-search';

describe('search query words', () => {
  it('writes SMS words out in full, as the stemmer must see them', () => {
    // "passe", not the folded "pase": the French stemmer gives "pass" for one and "pas" (a stop word) for the other.
    expect(queryGroups('mdp')).toEqual(['(mdp | (mot & de & passe))']);
    expect(queryGroups('stp')).toEqual(['(stp | (il & te & plait))']);
  });

  it('tries stuttered words with their letters collapsed, and leaves plain words alone', () => {
    expect(queryGroups('piratte')).toEqual(['(piratte | (pirate))']);
    expect(queryGroups('Améli, réunion AMELI')).toEqual(['ameli', 'reunion']);
  });

  it('keeps the folded words for trigram matching', () => {
    expect(queryTerms('Mdp oublié !!')).toEqual(['mot', 'de', 'pase', 'oublie']);
  });
});
