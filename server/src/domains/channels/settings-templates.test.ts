import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../../test/helpers/app';
import { call } from '../../../../test/helpers/http';
import { settings } from '../queues/queue.schema';
import { DEFAULT_TEMPLATES, TEMPLATE_KEYS, TEMPLATES_SETTING, templateProblems } from './outbound/templates';

const BASE = 'https://aide.numi.example';
let env: TestEnv;

beforeAll(async () => {
  env = await startTestEnv({ PUBLIC_URL: BASE });
});
afterAll(async () => {
  await env?.close();
});

async function stored(): Promise<Record<string, unknown> | null> {
  const [row] = await env.relais.ctx.db.select().from(settings).where(eq(settings.key, TEMPLATES_SETTING));
  return (row?.value as Record<string, unknown>) ?? null;
}
const put = (templates: Record<string, unknown>) => call(env.relais.app, 'PUT', '/api/v1/settings/templates', { auth: env.staff.admin.auth, body: { templates } });

describe('GET /api/v1/settings/templates: what the admin screen needs', () => {
  it('gives each template its default text and sample values per channel, built like the real message', async () => {
    const res = await call(env.relais.app, 'GET', '/api/v1/settings/templates', { auth: env.staff.n1.auth });
    expect(res.status).toBe(200);
    type Item = { key: string; default: { subject: string; text: string }; examples: Record<string, Record<string, string>>; replyButtons: string[]; variables: string[]; text: string };
    const byKey: Record<string, Item> = Object.fromEntries((res.body.items as Item[]).map((i) => [i.key, i]));
    expect(byKey.ticket_received!.default.subject).toBe('Votre demande {{number}} est bien enregistrée');
    expect(byKey.ticket_received!.default.text).toBe(byKey.ticket_received!.text);
    // A sign-in link where the message carries one, the portal's address elsewhere.
    expect(byKey.ticket_received!.examples.sms!.link).toMatch(new RegExp(`^${BASE}/mes-demandes\\?t=[A-Za-z0-9]{32}$`));
    expect(byKey.waiting_on_you!.examples.email!.link).toBe(`${BASE}/mes-demandes`);
    expect(byKey.agent_reply!.examples.email).toMatchObject({ number: 'NUM-10042', agent: expect.any(String), body: expect.any(String) });
    // The satisfaction question in the words of each channel.
    const resolved = byKey.resolved!;
    expect(resolved.examples.email!.satisfaction).toContain(`${BASE}/avis?t=exemple&note=5`);
    expect(resolved.examples.sms!.satisfaction).toBe('Répondez à ce SMS par un chiffre de 1 (pas du tout satisfait) à 5 (très satisfait).');
    expect(resolved.examples.whatsapp!.satisfaction).toBe('Touchez une réponse ci-dessous.');
    expect(resolved.replyButtons).toEqual(['😊 Très satisfait', '😐 Moyennement', '🙁 Pas satisfait']);
    expect(byKey.ticket_received!.replyButtons).toEqual([]);
    expect(byKey.secret_warning!.examples.email!.message).toContain('Pour votre sécurité');
    // Every variable a template may use has a sample value.
    for (const item of Object.values(byKey)) for (const v of item.variables) expect(item.examples.email![v], v).toBeTruthy();
  });
});

describe('PUT /api/v1/settings/templates: a template that would reach a client wrongly is refused', () => {
  it('refuses misspelt, cut and single-brace variables, a two-line subject and unknown quick replies — every problem by field, nothing saved', async () => {
    await put({ magic_link: { subject: 'Votre lien', text: 'Bonjour {{name}} : {{link}}' } });
    const before = await stored();
    expect(before).toMatchObject({ magic_link: { subject: 'Votre lien' } });

    const res = await put({
      // A correct change in the same request is not saved either: all or none.
      magic_link: { subject: 'Votre nouveau lien', text: 'Bonjour {{name}} : {{link}}' },
      ticket_received: { subject: 'Demande {{numéro}}\nBcc: x@y.z', text: 'Bonjour {name}, suivez {{link}} ou {{ 1 }} et {{number' },
      resolved: {
        subject: 'Résolue',
        text: 'Résolue. {{satisfaction}}',
        whatsapp: { name: 'demande_resolue', language: 'fr', params: ['number', 'agent'], quickReplies: ['rating:5', 'rating5', 'stop'] },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('INVALID_TEMPLATE');
    const details = res.body.error.details as { field: string; problem: string }[];
    const of = (field: string) => details.filter((d) => d.field === `body.templates.${field}`).map((d) => d.problem);
    expect(of('ticket_received.subject')).toEqual([
      'l’objet tient sur une seule ligne',
      'variable(s) inconnue(s) : {{numéro}} ; disponibles : {{name}}, {{number}}, {{subject}}, {{link}}',
    ]);
    expect(of('ticket_received.text')).toEqual([
      'variable(s) inconnue(s) : {{ 1 }} ; disponibles : {{name}}, {{number}}, {{subject}}, {{link}}',
      'accolades {{ ou }} seules : une variable s’écrit en entier, par exemple {{name}}',
      '{name} : une variable s’écrit avec deux accolades de chaque côté, par exemple {{name}}',
    ]);
    expect(of('resolved.whatsapp.params')).toEqual(['variable(s) inconnue(s) : agent ; disponibles : name, number, subject, link, satisfaction']);
    expect(of('resolved.whatsapp.quickReplies')).toEqual(['réponse(s) rapide(s) que Relais ne sait pas traiter : rating5, stop ; possibles : rating:5, rating:4, rating:3, rating:2, rating:1, callback']);
    expect(of('magic_link.text')).toEqual([]);
    expect(await stored()).toEqual(before);
  });

  it('accepts spaces inside the braces, stores the template, and null puts the default back', async () => {
    const ok = await put({
      waiting_on_you: { subject: 'Votre réponse [{{ number }}]', text: 'Bonjour {{ name }},\nnous attendons votre réponse : {{link}}', whatsapp: { name: 'attente_reponse', language: 'fr', params: ['name', 'number'], quickReplies: ['callback'] } },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((ok.body.items as { key: string; isDefault: boolean }[]).find((i) => i.key === 'waiting_on_you')).toMatchObject({ isDefault: false, subject: 'Votre réponse [{{ number }}]' });
    expect((await stored())!.waiting_on_you).toEqual({
      subject: 'Votre réponse [{{ number }}]',
      text: 'Bonjour {{ name }},\nnous attendons votre réponse : {{link}}',
      whatsapp: { name: 'attente_reponse', language: 'fr', params: ['name', 'number'], quickReplies: ['callback'] },
    });
    const reset = await put({ waiting_on_you: null });
    expect((reset.body.items as { key: string; isDefault: boolean; subject: string }[]).find((i) => i.key === 'waiting_on_you')).toMatchObject({ isDefault: true, subject: 'Nous attendons votre réponse [{{number}}]' });
    expect(await stored()).not.toHaveProperty('waiting_on_you');
  });

  it('keeps both changes when two admins save different templates at the same moment', async () => {
    const [a, b] = await Promise.all([put({ agent_reply: { subject: 'Réponse [{{number}}]', text: '{{body}}' } }), put({ secret_warning: { subject: 'Attention [{{number}}]', text: '{{message}}' } })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await stored()).toMatchObject({ agent_reply: { subject: 'Réponse [{{number}}]' }, secret_warning: { subject: 'Attention [{{number}}]' } });
  });

  it('says nothing is wrong with the shipped defaults', () => {
    for (const key of TEMPLATE_KEYS) expect(templateProblems(key, DEFAULT_TEMPLATES[key]), key).toEqual([]);
  });
});
