/**
 * Words for categories, the one place the console, the admin and the portal read them from.
 * Procedures and help articles carry a slug in their front-matter (`category: securite`), and
 * tickets a free category (the portal's form, the qualify dialog, the triage): people must read
 * « Sécurité », never « securite ».
 */
export type CategoryLang = 'fr' | 'en';

interface CategoryWords {
  /** Short label for lists, badges and the ticket's details. */
  label: Record<CategoryLang, string>;
  /** The help centre's heading for a group of articles, in the clients' words; the label otherwise. */
  heading?: Record<CategoryLang, string>;
}

/** Categories of content/procedures and content/articles, in the order the help centre shows them. */
const KNOWLEDGE: Record<string, CategoryWords> = {
  securite: { label: { fr: 'Sécurité', en: 'Security' }, heading: { fr: 'Protéger vos comptes', en: 'Protect your accounts' } },
  fraude: { label: { fr: 'Fraude', en: 'Fraud' }, heading: { fr: 'Arnaques et piratage', en: 'Scams and hacking' } },
  demarches: { label: { fr: 'Démarches en ligne', en: 'Online services' }, heading: { fr: 'Démarches en ligne : Ameli, CAF, impôts, retraite', en: 'Online services: Ameli, CAF, taxes, pension' } },
  messagerie: { label: { fr: 'Messagerie', en: 'Email' }, heading: { fr: 'Vos e-mails', en: 'Your emails' } },
  internet: { label: { fr: 'Internet', en: 'Internet' }, heading: { fr: 'Appels vidéo et Internet', en: 'Video calls and the Internet' } },
  materiel: { label: { fr: 'Matériel', en: 'Devices' }, heading: { fr: 'Téléphone, photos, imprimante', en: 'Phone, photos, printer' } },
  comptes: { label: { fr: 'Comptes en ligne', en: 'Online accounts' }, heading: { fr: 'Vos comptes en ligne', en: 'Your online accounts' } },
  ateliers: { label: { fr: 'Ateliers', en: 'Workshops' } },
  commercial: { label: { fr: 'Commercial', en: 'Sales' } },
  'relation-client': { label: { fr: 'Relation client', en: 'Customer relations' } },
  rgpd: { label: { fr: 'Données personnelles (RGPD)', en: 'Personal data (GDPR)' } },
};

/** The ticket categories the portal's form and the console's dialogs suggest. */
const TICKET: Record<string, CategoryWords> = {
  assistance: { label: { fr: 'Assistance', en: 'Assistance' } },
  emails: { label: { fr: 'E-mails et messages', en: 'Emails and messages' } },
  mobile: { label: { fr: 'Téléphone ou tablette', en: 'Phone or tablet' } },
  computer: { label: { fr: 'Ordinateur', en: 'Computer' } },
  online: { label: { fr: 'Démarches en ligne', en: 'Online services' } },
  security: { label: { fr: 'Sécurité', en: 'Security' } },
  other: { label: { fr: 'Autre', en: 'Other' } },
};

const WORDS: Record<string, CategoryWords> = { ...KNOWLEDGE, ...TICKET };

/** The ticket categories the staff forms suggest, in their order. */
export const TICKET_CATEGORIES: readonly string[] = Object.keys(TICKET);

/**
 * What a category field typed or picked in words means: the slug of a category whose slug or
 * name it is (« Ordinateur », « ordinateur », "computer" → computer; a ticket category first,
 * since « Démarches en ligne » names one of each), else the words as typed (a new category), or
 * null when empty.
 */
export function categoryFromWords(text: string): string | null {
  const typed = text.trim();
  if (!typed) return null;
  const key = categoryKey(typed);
  if (Object.hasOwn(WORDS, key)) return key;
  for (const table of [TICKET, KNOWLEDGE]) {
    for (const [slug, words] of Object.entries(table)) {
      if (Object.values(words.label).some((label) => categoryKey(label) === key)) return slug;
    }
  }
  return typed;
}

/** The knowledge categories in the help centre's order. */
export const KNOWLEDGE_CATEGORIES: readonly string[] = Object.keys(KNOWLEDGE);

/** "Démarches", "relation client", "RGPD " all find their slug: staff type categories by hand. */
export function categoryKey(category: string): string {
  return category
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

/** A slug nobody has named yet still reads as words: "mes-photos" → "Mes photos". */
function fromSlug(category: string): string {
  const words = category.trim().replace(/[-_\s]+/g, ' ').trim();
  return words.charAt(0).toLocaleUpperCase('fr') + words.slice(1);
}

export function isKnownCategory(category: string): boolean {
  return Object.hasOwn(WORDS, categoryKey(category));
}

export function categoryLabel(category: string, lang: CategoryLang = 'fr'): string {
  const key = categoryKey(category);
  return Object.hasOwn(WORDS, key) ? WORDS[key]!.label[lang] : fromSlug(category);
}

/** The help centre's heading for a category's articles. */
export function categoryHeading(category: string, lang: CategoryLang = 'fr'): string {
  const key = categoryKey(category);
  const words = Object.hasOwn(WORDS, key) ? WORDS[key]! : null;
  return words ? (words.heading ?? words.label)[lang] : fromSlug(category);
}
