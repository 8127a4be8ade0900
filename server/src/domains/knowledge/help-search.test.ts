import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startTestEnv, type TestEnv } from '../../../../test/helpers/app';
import { call } from '../../../../test/helpers/http';
import { spellWords } from './article-search';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(async () => env?.close());

const help = async (q: string) =>
  (await call(env.relais.app, 'GET', `/api/v1/help/articles?q=${encodeURIComponent(q)}`)).body.items as { slug: string; highlight: string }[];
const top3 = async (q: string) => (await help(q)).slice(0, 3).map((h) => h.slug);

describe('help-centre search', () => {
  it('finds the right article with typos, without accents, in SMS spelling and in long spoken sentences', async () => {
    expect(await top3('facebok pirate')).toContain('pirate-que-faire');
    expect(await top3('numeriser imprimente')).toContain('numeriser-avec-imprimante');
    expect(await top3('réunion Zoom')).toContain('participer-reunion-zoom');
    expect(await top3('reunion zoom')).toContain('participer-reunion-zoom');
    expect(await top3('mdp ameli')).toContain('ameli-attestation-et-mot-de-passe');
    expect(await top3('comment je fais pour envoyer une photo a ma fille')).toContain('photos-telephone-envoyer');
    expect(await top3('jai perdu ma carte bancaire')).toContain('carte-bancaire-perdue');
    expect(await help('xqzwv')).toEqual([]);
    expect(await help('le la de')).toEqual([]);
  });

  it('highlights the words found, corrected ones included, as <mark> only', async () => {
    const [first] = await help('facebok pirate');
    expect(first!.highlight).toMatch(/<mark>[^<]+<\/mark>/);
    expect(first!.highlight.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
  });

  it('spells each word against the words the content uses', async () => {
    const spelt = await spellWords(env.relais.ctx.db, ['facebok', 'zoom', 'xqzwv', '33700', 'ma']);
    expect(spelt.get('facebok')).toBe('facebook');
    expect(spelt.get('zoom')).toBe('zoom');
    expect(spelt.get('xqzwv')).toBeNull();
    expect(spelt.get('33700')).toBe('33700');
    expect(spelt.has('ma')).toBe(true);
  });

  it('corrects a typo to the nearest word the content uses, never a short word, and refuses unfolded input', async () => {
    const spelt = await spellWords(env.relais.ctx.db, ['imprimente', 'outlok', 'zom', 'ameli']);
    expect(spelt.get('imprimente')).toBe('imprimante');
    expect(spelt.get('outlok')).toBe('outlook');
    // Three letters: too easily "corrected" into another word.
    expect(spelt.get('zom')).toBeNull();
    expect(spelt.get('ameli')).toBe('ameli');
    await expect(spellWords(env.relais.ctx.db, ["l'ami"])).rejects.toThrow(/not a folded word/);
  });

  it('runs the embedded database with in-memory page costs, so the planner uses the search indexes', async () => {
    if (env.relais.ctx.database.kind !== 'pglite') return;
    const rows = await env.relais.ctx.db.execute<{ random_page_cost: string }>(sql`show random_page_cost`);
    expect(rows.rows[0]!.random_page_cost).toBe('1.1');
  });

  it('learns the words of a new article at once, and keeps drafts out of the public search', async () => {
    const body = { slug: 'tablette-grand-ecran', title: 'Régler la luminosité de sa tablette', summary: 'Pour lire sans se fatiguer les yeux.', category: 'materiel', keywords: ['luminosite'], body: 'Ouvrez les réglages puis « Affichage ».' };
    expect((await call(env.relais.app, 'POST', '/api/v1/articles', { auth: env.staff.admin.auth, body })).status).toBe(201);
    const rows = await env.relais.ctx.db.execute<{ word: string }>(sql`select word from search_lexicon where word in ('luminosite', 'tablette', 'affichage')`);
    expect(rows.rows.map((r) => r.word).sort()).toEqual(['affichage', 'luminosite', 'tablette']);
    // A draft: staff find it (typo included), clients do not.
    const staff = await call(env.relais.app, 'GET', '/api/v1/articles?q=luminosit%C3%A9%20tablete', { auth: env.staff.n1.auth });
    expect(staff.body.items.map((h: { slug: string }) => h.slug)).toContain('tablette-grand-ecran');
    expect((await help('luminosite tablette')).map((h) => h.slug)).not.toContain('tablette-grand-ecran');
    await call(env.relais.app, 'PUT', '/api/v1/articles/tablette-grand-ecran', { auth: env.staff.admin.auth, body: { ...body, status: 'published', baseVersion: 1 } });
    expect((await top3('luminosite tablete'))[0]).toBe('tablette-grand-ecran');
  });
});
