import { eq } from 'drizzle-orm';
import type { DB } from '../platform/db';
import { restoreVersion, updateContent, type ArticleInput, type ProcedureInput } from '../domains/knowledge/content-editing';
import { articles, procedures } from '../domains/knowledge/knowledge.schema';

async function editProcedure(db: DB, slug: string, authorId: string, note: string, change: (p: ProcedureInput) => ProcedureInput): Promise<void> {
  const [p] = await db.select().from(procedures).where(eq(procedures.slug, slug));
  if (!p) throw new Error(`demo: no procedure ${slug} in the catalogue`);
  const current: ProcedureInput = { slug, title: p.title, summary: p.summary, severity: p.severity, category: p.category, level: p.level, keywords: p.keywords, related: p.related, body: p.body, status: p.status };
  const next = change(current);
  if (next.body === current.body && next.summary === current.summary) throw new Error(`demo: the edit of ${slug} changes nothing (catalogue text changed?)`);
  await updateContent(db, 'procedure', slug, { ...next, note, baseVersion: p.version }, authorId);
}

async function editArticle(db: DB, slug: string, authorId: string, note: string, change: (a: ArticleInput) => ArticleInput): Promise<void> {
  const [a] = await db.select().from(articles).where(eq(articles.slug, slug));
  if (!a) throw new Error(`demo: no article ${slug} in the catalogue`);
  const current: ArticleInput = { slug, title: a.title, summary: a.summary, category: a.category, keywords: a.keywords, body: a.body, status: a.status };
  const next = change(current);
  if (next.body === current.body && next.keywords?.join() === current.keywords?.join()) throw new Error(`demo: the edit of ${slug} changes nothing (catalogue text changed?)`);
  await updateContent(db, 'article', slug, { ...next, note, baseVersion: a.version }, authorId);
}

/**
 * A few catalogue pages edited by the admin and the supervisor, so the history screens show
 * versions with their authors and notes, a text comparison, and a restored version.
 */
export async function seedContentHistory(db: DB, adminId: string, supervisorId: string): Promise<void> {
  await editProcedure(db, 'orange-messagerie', supervisorId, 'Étape 8 : vérifier d’abord le moyen de secours, souvent un ancien numéro.', (p) => ({
    ...p,
    body: p.body.replace(
      '8. Identifiants oubliés : passer par',
      '8. Identifiants oubliés : vérifier d’abord avec le client le numéro de mobile ou l’adresse de secours enregistrés chez Orange (souvent un ancien numéro), puis passer par',
    ),
  }));

  await editArticle(db, 'reconnaitre-arnaques', adminId, 'Ajout du faux SMS de livraison de colis, très fréquent en ce moment.', (a) => ({
    ...a,
    body: a.body.replace(
      '## Les signes qui doivent vous alerter',
      [
        '## Le faux colis',
        '',
        'Vous recevez un SMS.',
        'Il dit : « Votre colis est bloqué, payez 1,99 € pour le recevoir. »',
        'Il vous demande de cliquer sur un lien.',
        '',
        'C’est une arnaque.',
        'Le livreur ne vous demande jamais de payer par SMS.',
        '',
        '## Les signes qui doivent vous alerter',
      ].join('\n'),
    ),
  }));
  await editArticle(db, 'reconnaitre-arnaques', supervisorId, 'Mots-clés « colis » et « livraison », pour que la recherche trouve la nouvelle partie.', (a) => ({
    ...a,
    keywords: [...(a.keywords ?? []), 'colis', 'livraison', 'faux livreur'],
  }));

  // An edit that turned out wrong, then undone by restoring the first version.
  await editProcedure(db, 'ameli-mot-de-passe', adminId, 'Le lien d’Ameli dure moins longtemps qu’avant.', (p) => ({
    ...p,
    body: p.body.replace('(environ 30 minutes)', '(environ 10 minutes)'),
  }));
  await restoreVersion(db, 'procedure', 'ameli-mot-de-passe', 1, supervisorId, 2);
}
