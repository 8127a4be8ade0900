import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { categoryHeading, categoryLabel, isKnownCategory, KNOWLEDGE_CATEGORIES } from './categories';

const contentDir = path.resolve(import.meta.dirname, '../../content');

/** Every `category:` of the shipped procedures and articles. */
function shippedCategories(): string[] {
  const found = new Set<string>();
  for (const dir of ['procedures', 'articles']) {
    for (const file of fs.readdirSync(path.join(contentDir, dir)).filter((f) => f.endsWith('.md'))) {
      const m = /^category:\s*(\S+)\s*$/m.exec(fs.readFileSync(path.join(contentDir, dir, file), 'utf8'));
      if (m) found.add(m[1]!);
    }
  }
  return [...found];
}

describe('category labels', () => {
  it('names the slugs in French and English', () => {
    expect(categoryLabel('securite')).toBe('Sécurité');
    expect(categoryLabel('materiel')).toBe('Matériel');
    expect(categoryLabel('relation-client')).toBe('Relation client');
    expect(categoryLabel('materiel', 'en')).toBe('Devices');
    expect(categoryLabel('security')).toBe('Sécurité');
  });

  it('finds a category typed by hand, with accents, capitals or spaces', () => {
    expect(categoryLabel('démarches')).toBe('Démarches en ligne');
    expect(categoryLabel(' Relation client ')).toBe('Relation client');
    expect(isKnownCategory('RGPD')).toBe(true);
  });

  it('capitalises a slug it does not know instead of showing it raw', () => {
    expect(categoryLabel('tablette')).toBe('Tablette');
    expect(categoryLabel('mes-photos_anciennes')).toBe('Mes photos anciennes');
    expect(categoryLabel('éducation-numérique', 'en')).toBe('Éducation numérique');
    expect(categoryLabel('')).toBe('');
    expect(isKnownCategory('tablette')).toBe(false);
  });

  it('has a label for every category the shipped procedures and articles use', () => {
    const shipped = shippedCategories();
    expect(shipped.length).toBeGreaterThan(5);
    expect(shipped.filter((c) => !isKnownCategory(c))).toEqual([]);
    expect(shipped.filter((c) => !KNOWLEDGE_CATEGORIES.includes(c))).toEqual([]);
  });

  it('gives the help centre the clients’ headings, the label when there is none', () => {
    expect(categoryHeading('securite')).toBe('Protéger vos comptes');
    expect(categoryHeading('securite', 'en')).toBe('Protect your accounts');
    expect(categoryHeading('rgpd')).toBe('Données personnelles (RGPD)');
    expect(categoryHeading('inconnue')).toBe('Inconnue');
  });
});
