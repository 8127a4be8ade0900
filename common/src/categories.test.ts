import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { categoryFromWords, categoryHeading, categoryLabel, isKnownCategory, KNOWLEDGE_CATEGORIES, TICKET_CATEGORIES } from './categories';

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

describe('a category field filled in words', () => {
  it('keeps the slug of a category picked or typed by its name, in either language', () => {
    expect(categoryFromWords('Ordinateur')).toBe('computer');
    expect(categoryFromWords(' ordinateur ')).toBe('computer');
    expect(categoryFromWords('computer')).toBe('computer');
    expect(categoryFromWords('Phone or tablet')).toBe('mobile');
    // Named by a ticket category and a content category: the ticket's.
    expect(categoryFromWords('Démarches en ligne')).toBe('online');
    expect(categoryFromWords('Messagerie')).toBe('messagerie');
  });

  it('keeps a new category as typed, and nothing for an empty field', () => {
    expect(categoryFromWords('  Box internet en panne ')).toBe('Box internet en panne');
    expect(categoryFromWords('   ')).toBeNull();
  });

  it('offers every ticket category under a name', () => {
    expect(TICKET_CATEGORIES.map((c) => categoryLabel(c))).toEqual(['Assistance', 'E-mails et messages', 'Téléphone ou tablette', 'Ordinateur', 'Démarches en ligne', 'Sécurité', 'Autre']);
  });
});

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
