import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startTestEnv, type TestEnv } from '../../../../test/helpers/app';
import { call, expectError } from '../../../../test/helpers/http';
import { tickets } from '../tickets/ticket.schema';
import { evaluateTriage, loadEvalSet } from './triage-eval';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(async () => env?.close());

const search = async (q: string, kind = 'procedures') =>
  (await call(env.relais.app, 'GET', `/api/v1/${kind}?q=${encodeURIComponent(q)}`, { auth: env.staff.n1.auth })).body.items.map((h: { slug: string }) => h.slug) as string[];

describe('the shipped catalogue', () => {
  it('holds every procedure of the numi catalogue, published, with steps and scripts', async () => {
    const all = await call(env.relais.app, 'GET', '/api/v1/procedures', { auth: env.staff.n1.auth });
    expect(all.body.items.length).toBeGreaterThanOrEqual(45);
    const fb = await call(env.relais.app, 'GET', '/api/v1/procedures/facebook-compte-pirate', { auth: env.staff.n1.auth });
    expect(fb.body).toMatchObject({ level: 3, severity: 'critique', status: 'published', version: 1 });
    expect(fb.body.steps.length).toBeGreaterThanOrEqual(8);
    expect(fb.body.scripts.length).toBeGreaterThan(0);
    const skype = await call(env.relais.app, 'GET', '/api/v1/procedures/skype-appels', { auth: env.staff.n1.auth });
    expect(skype.body.body).toMatch(/2025/);
    expect(skype.body.body).toMatch(/Teams/);
  });
});

describe('French search', () => {
  it('finds the right procedure without accents, with typos and SMS spelling', async () => {
    expect((await search('compte facebook pirate')).slice(0, 3)).toContain('facebook-compte-pirate');
    expect((await search('piratage facebook')).slice(0, 3)).toContain('facebook-compte-pirate');
    expect((await search('facebok pirater')).slice(0, 3)).toContain('facebook-compte-pirate');
    expect((await search('attestation de droit ameli')).slice(0, 3)).toContain('ameli-attestation-droits');
    expect((await search('mdp ameli oublie')).slice(0, 3)).toContain('ameli-mot-de-passe');
    expect((await search('impot.gouv connection')).slice(0, 3)).toContain('impots-connexion');
    expect((await search('rancon fichiers bloques')).slice(0, 3)).toContain('urgence-cyber');
    expect((await search('zoom reunion')).slice(0, 3)).toContain('zoom-reunion');
    expect(await search('xqzwv')).toEqual([]);
  });

  it('searches the public help centre without authentication and highlights the words', async () => {
    const res = await call(env.relais.app, 'GET', '/api/v1/help/articles?q=mot%20de%20passe%20oublie');
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.items.some((h: { highlight: string }) => h.highlight.includes('<mark>'))).toBe(true);
    const one = await call(env.relais.app, 'GET', `/api/v1/help/articles/${res.body.items[0].slug}`);
    expect(one.body.body.length).toBeGreaterThan(100);
    expectError(await call(env.relais.app, 'GET', '/api/v1/help/articles/nexiste-pas'), 404, 'ARTICLE_NOT_FOUND');
    // Procedures are internal.
    expectError(await call(env.relais.app, 'GET', '/api/v1/procedures?q=facebook'), 401, 'UNAUTHENTICATED');
  });
});

describe('triage', () => {
  it('suggests procedures and flags emergencies in messy French, but not ordinary questions', async () => {
    const hacked = await call(env.relais.app, 'POST', '/api/v1/triage', { auth: env.staff.n1.auth, body: { text: 'au secour jai donner mon code a un monsieur de la banque il ma dit de valider un virement' } });
    expect(hacked.body.emergency.suspected).toBe(true);
    expect(hacked.body.emergency.reasons.length).toBeGreaterThan(0);
    expect(hacked.body.level).toBe(3);
    expect(hacked.body.procedures.map((p: { slug: string }) => p.slug)).toContain('fraude-bancaire');
    const calm = await call(env.relais.app, 'POST', '/api/v1/triage', { auth: env.staff.n1.auth, body: { text: 'comment je bloque ma carte si je la perds un jour ?' } });
    expect(calm.body.emergency.suspected).toBe(false);
    expect(calm.body.procedures).toHaveLength(3);
    expectError(await call(env.relais.app, 'POST', '/api/v1/triage', { auth: env.staff.n1.auth, body: { text: '' } }), 400, 'VALIDATION_FAILED');
  });

  it('meets its targets on the labelled set: top-3 ≥ 90 %, recall 100 %, precision ≥ 90 %', async () => {
    const r = await evaluateTriage(env.relais.ctx.db, loadEvalSet());
    expect(r.cases).toBeGreaterThanOrEqual(60);
    expect(r.top3).toBeGreaterThanOrEqual(0.9);
    expect(r.emergencyRecall).toBe(1);
    expect(r.emergencyPrecision).toBeGreaterThanOrEqual(0.9);
  });

  it('marks a new ticket as a possible emergency, in red for agents, without pressing the red button', async () => {
    const t = await call(env.relais.app, 'POST', '/api/v1/tickets', {
      auth: env.staff.n1.auth,
      body: { subject: 'Arnaque', description: 'un faux conseiller de la banque ma fait valider 3 virements je vois plus mon argent', channel: 'phone', contact: { name: 'Yvette', phone: '0612312312' } },
    });
    expect(t.status).toBe(201);
    expect(t.body.possibleEmergency?.reasons.length).toBeGreaterThan(0);
    expect(t.body.cyberEmergency).toBe(false);
    const ev = await call(env.relais.app, 'GET', `/api/v1/tickets/${t.body.id}/events`, { auth: env.staff.n1.auth });
    expect(ev.body.items.map((e: { type: string }) => e.type)).toContain('triage.possible_emergency');
    const plain = await call(env.relais.app, 'POST', '/api/v1/tickets', { auth: env.staff.n1.auth, body: { subject: 'Imprimante', description: 'elle imprime en gris', channel: 'phone', contact: { name: 'Zoé', phone: '0612312313' } } });
    expect(plain.body.possibleEmergency).toBeNull();
    const sugg = await call(env.relais.app, 'GET', `/api/v1/tickets/${t.body.number}/suggestions`, { auth: env.staff.n1.auth });
    expect(sugg.body.procedures.map((p: { slug: string }) => p.slug)).toContain('fraude-bancaire');
  });
});

describe('secret guard on intake', () => {
  it('stores card numbers, passwords and codes masked, and says what was masked', async () => {
    const t = await call(env.relais.app, 'POST', '/api/v1/tickets', {
      auth: env.staff.n1.auth,
      body: { subject: 'Paiement', description: 'ma carte 4970 1012 3456 7893 et mon mot de passe cest Soleil2024 et le code recu 482913. Rappelez moi au 06 12 34 56 78', channel: 'web', contact: { name: 'Marc', phone: '0612312314' } },
    });
    expect(t.status).toBe(201);
    const [row] = await env.relais.ctx.db.select().from(tickets).where(eq(tickets.id, t.body.id));
    expect(row!.description).not.toContain('4970 1012 3456');
    expect(row!.description).not.toContain('Soleil2024');
    expect(row!.description).not.toContain('482913');
    expect(row!.description).toMatch(/•+.*7893/); // the last four digits stay, to tell cards apart
    expect(row!.description).toContain('06 12 34 56 78');
    const ev = await call(env.relais.app, 'GET', `/api/v1/tickets/${t.body.id}/events`, { auth: env.staff.n1.auth });
    const created = ev.body.items.find((e: { type: string }) => e.type === 'ticket.created');
    expect(created.data.secretsMasked.map((m: { kind: string }) => m.kind)).toEqual(expect.arrayContaining(['card_number', 'password', 'otp_code']));
    const found = await call(env.relais.app, 'GET', '/api/v1/tickets?q=Soleil2024', { auth: env.staff.n1.auth });
    expect(found.body.items).toEqual([]);
  });
});

describe('procedures on tickets', () => {
  it('applies a procedure as a checklist, records it, and counts it in the statistics', async () => {
    const t = await call(env.relais.app, 'POST', '/api/v1/tickets', { auth: env.staff.n1.auth, body: { subject: 'Attestation Ameli', channel: 'phone', contact: { name: 'Paul', phone: '0612312315' } } });
    const applied = await call(env.relais.app, 'POST', `/api/v1/tickets/${t.body.id}/procedures`, { auth: env.staff.n1.auth, body: { slug: 'ameli-attestation-droits' } });
    expect(applied.status).toBe(200);
    const items = applied.body.checklist.filter((i: { kind: string }) => i.kind === 'procedure');
    expect(items.length).toBeGreaterThanOrEqual(5);
    expectError(await call(env.relais.app, 'POST', `/api/v1/tickets/${t.body.id}/procedures`, { auth: env.staff.n1.auth, body: { slug: 'ameli-attestation-droits' } }), 409, 'PROCEDURE_ALREADY_APPLIED');
    expectError(await call(env.relais.app, 'POST', `/api/v1/tickets/${t.body.id}/procedures`, { auth: env.staff.n1.auth, body: { slug: 'inconnue' } }), 404, 'PROCEDURE_NOT_FOUND');
    await call(env.relais.app, 'POST', `/api/v1/tickets/${t.body.id}/status`, { auth: env.staff.n1.auth, body: { status: 'resolved' } });
    const stats = await call(env.relais.app, 'GET', '/api/v1/procedures/ameli-attestation-droits/stats', { auth: env.staff.n1.auth });
    expect(stats.body).toMatchObject({ timesApplied: 1, tickets: 1, resolved: 1, firstContactResolutionRate: 1 });
    expect(stats.body.averageHandlingMinutes).toBeGreaterThanOrEqual(0);
  });
});

describe('editing with versions', () => {
  it('saves versions with their author, restores an old one, keeps drafts out of the help centre', async () => {
    const body = { slug: 'test-imprimante', title: 'Imprimante qui imprime en gris', summary: 'Que faire quand les couleurs manquent.', severity: 'normal', category: 'materiel', level: 1, keywords: ['imprimante', 'gris'], body: '## Étapes\n1. Vérifier les cartouches.\n2. Lancer un nettoyage des têtes.\n\n## Ce qu’il faut dire\n- « On va regarder ensemble. »' };
    expectError(await call(env.relais.app, 'POST', '/api/v1/procedures', { auth: env.staff.n1.auth, body }), 403, 'FORBIDDEN');
    const created = await call(env.relais.app, 'POST', '/api/v1/procedures', { auth: env.staff.supervisor.auth, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', version: 1, steps: ['Vérifier les cartouches.', 'Lancer un nettoyage des têtes.'] });
    expectError(await call(env.relais.app, 'POST', '/api/v1/procedures', { auth: env.staff.supervisor.auth, body }), 409, 'SLUG_TAKEN');
    expectError(await call(env.relais.app, 'POST', '/api/v1/procedures', { auth: env.staff.supervisor.auth, body: { ...body, slug: 'sans-etapes', body: 'Juste du texte sans étapes.' } }), 422, 'INVALID_PROCEDURE');
    const v2 = await call(env.relais.app, 'PUT', '/api/v1/procedures/test-imprimante', { auth: env.staff.admin.auth, body: { ...body, status: 'published', body: '## Étapes\n1. Imprimer une page de test.\n', note: 'Plus simple' } });
    expect(v2.body).toMatchObject({ version: 2, status: 'published', steps: ['Imprimer une page de test.'] });
    const versions = await call(env.relais.app, 'GET', '/api/v1/procedures/test-imprimante/versions', { auth: env.staff.n1.auth });
    expect(versions.body.items.map((v: { version: number; authorId: string }) => [v.version, v.authorId])).toEqual([
      [2, env.staff.admin.id],
      [1, env.staff.supervisor.id],
    ]);
    const restored = await call(env.relais.app, 'POST', '/api/v1/procedures/test-imprimante/versions/1/restore', { auth: env.staff.admin.auth });
    expect(restored.body).toMatchObject({ version: 3, status: 'draft', steps: ['Vérifier les cartouches.', 'Lancer un nettoyage des têtes.'] });
    expectError(await call(env.relais.app, 'POST', '/api/v1/procedures/test-imprimante/versions/9/restore', { auth: env.staff.admin.auth }), 404, 'VERSION_NOT_FOUND');
    const article = { slug: 'brouillon-aide', title: 'Un brouillon', summary: 'Pas encore prêt.', category: 'securite', body: 'Un texte en cours de rédaction.' };
    expect((await call(env.relais.app, 'POST', '/api/v1/articles', { auth: env.staff.admin.auth, body: article })).status).toBe(201);
    expectError(await call(env.relais.app, 'GET', '/api/v1/help/articles/brouillon-aide'), 404, 'ARTICLE_NOT_FOUND');
  });
});

describe('editing without overwriting someone else', () => {
  it('refuses a save or a restore based on an older version, says who saved, and writes nothing', async () => {
    const nameOf = async (who: 'admin' | 'supervisor') => (await call(env.relais.app, 'GET', '/api/v1/me', { auth: env.staff[who].auth })).body.name as string;
    const [admin, supervisor] = [await nameOf('admin'), await nameOf('supervisor')];
    const body = { slug: 'test-conflit', title: 'Article pour le conflit', summary: 'Deux personnes le modifient.', category: 'securite', body: 'Premier texte de l’article.' };
    const created = await call(env.relais.app, 'POST', '/api/v1/articles', { auth: env.staff.admin.auth, body });
    expect(created.body.version).toBe(1);
    // The supervisor saves version 2 while the admin still has version 1 open.
    const v2 = await call(env.relais.app, 'PUT', '/api/v1/articles/test-conflit', { auth: env.staff.supervisor.auth, body: { ...body, body: 'Texte du superviseur.', baseVersion: 1 } });
    expect(v2.status).toBe(200);
    expect(v2.body.version).toBe(2);
    const stale = await call(env.relais.app, 'PUT', '/api/v1/articles/test-conflit', { auth: env.staff.admin.auth, body: { ...body, body: 'Texte de l’admin.', baseVersion: 1 } });
    expectError(stale, 409, 'VERSION_CONFLICT');
    expect(stale.body.error.details).toMatchObject({ currentVersion: 2, baseVersion: 1, updatedBy: supervisor });
    expect(stale.body.error.message).toContain(supervisor);
    const staleRestore = await call(env.relais.app, 'POST', '/api/v1/articles/test-conflit/versions/1/restore?baseVersion=1', { auth: env.staff.admin.auth });
    expectError(staleRestore, 409, 'VERSION_CONFLICT');
    // Nothing was written: still version 2, the supervisor's text, two versions in the history.
    const now = await call(env.relais.app, 'GET', '/api/v1/articles/test-conflit', { auth: env.staff.admin.auth });
    expect(now.body).toMatchObject({ version: 2, body: 'Texte du superviseur.' });
    const versions = await call(env.relais.app, 'GET', '/api/v1/articles/test-conflit/versions', { auth: env.staff.admin.auth });
    expect(versions.body.items.map((v: { version: number; authorName: string }) => [v.version, v.authorName])).toEqual([
      [2, supervisor],
      [1, admin],
    ]);
    // From the current version, both go through.
    const ok = await call(env.relais.app, 'POST', '/api/v1/articles/test-conflit/versions/1/restore?baseVersion=2', { auth: env.staff.admin.auth });
    expect(ok.body).toMatchObject({ version: 3, body: 'Premier texte de l’article.' });
    expectError(await call(env.relais.app, 'PUT', '/api/v1/articles/test-conflit', { auth: env.staff.admin.auth, body: { ...body, baseVersion: 0 } }), 400, 'VALIDATION_FAILED');
  });
});
