import { and, eq } from 'drizzle-orm';
import { announceConfigChange } from '../platform/config-cache';
import type { AppContext } from '../platform/context';
import type { Actor } from '../platform/events';
import { staff } from '../domains/auth/auth.schema';
import type { StaffRole } from '../domains/auth/auth-context';
import { createStaff } from '../domains/auth/staff-service';
import { completeCallback, requestCallback, type CallbackOutcome } from '../domains/channels/callbacks/callback-service';
import { contactIdentities } from '../domains/contacts/contact.schema';
import { applyProcedure } from '../domains/knowledge/procedure-usage';
import { createMagicLink, magicLinkUrl } from '../domains/portal/portal-session';
import { saveRating } from '../domains/portal/portal-service';
import { queues } from '../domains/queues/queue.schema';
import { escalateTicket, triggerCyberEmergency } from '../domains/tickets/escalation';
import { recordConsoleCall } from '../domains/tickets/ticket-calls';
import { createTicket } from '../domains/tickets/ticket-intake';
import { addStaffMessage, assignTicket, changeStatus, checkItem, qualifyTicket } from '../domains/tickets/ticket-commands';
import { checklistItems } from '../domains/tickets/ticket.schema';
import type { CreateTicketInput, QualifyInput } from '../domains/tickets/ticket.schemas';
import { lockTicket, type TicketRow } from '../domains/tickets/ticket-store';
import { seedOverdueCallback, seedPhoneMenuCalls, seedPortalCallback, seedWhatsAppConversation } from './demo-channels';
import { seedContentHistory } from './demo-knowledge';
import { seedLateRequest } from './demo-sla';

export const DEMO_STAFF: { email: string; name: string; role: StaffRole; level: number | null; skills: string[]; label: string }[] = [
  { email: 'admin@relais.example', name: 'Alice Martin', role: 'admin', level: null, skills: [], label: 'administratrice' },
  { email: 'superviseur@relais.example', name: 'Bruno Lefèvre', role: 'supervisor', level: null, skills: [], label: 'superviseur' },
  { email: 'n1@relais.example', name: 'Chloé Bernard', role: 'agent', level: 1, skills: ['messagerie', 'démarches administratives'], label: 'conseillère niveau 1' },
  { email: 'n2@relais.example', name: 'David Moreau', role: 'agent', level: 2, skills: ['messagerie', 'logiciel', 'diagnostic PC'], label: 'conseiller niveau 2' },
  { email: 'n3@relais.example', name: 'Emma Petit', role: 'agent', level: 3, skills: ['sécurité', 'fraude bancaire'], label: 'conseillère niveau 3' },
  { email: 'technicien@relais.example', name: 'Farid Haddad', role: 'technician', level: 2, skills: ['logiciel', 'prise en main à distance'], label: 'technicien' },
];

/** The demo client whose "Mes demandes" link is printed at each demo start. */
export const DEMO_PORTAL_CLIENT = { name: 'Jeanne Dupuis', phone: '+33612345678' };

type Staff = Actor & { kind: 'staff' };

/** What a demo request goes through after intake, by the people who would do it. */
interface Steps {
  t: TicketRow;
  n1: Staff;
  n2: Staff;
  ids: Record<string, string>;
  ctx(): AppContext;
  qualify(input?: QualifyInput): Promise<unknown>;
  reply(body?: string): Promise<unknown>;
  status(status: Parameters<typeof changeStatus>[3]['status'], reason?: string, by?: Staff): Promise<unknown>;
}

const DEMO_REQUESTS: (CreateTicketInput & { then?: (s: Steps) => Promise<void> })[] = [
  {
    subject: 'Je n’arrive plus à lire mes emails Orange',
    description: 'Depuis hier la boîte Orange me demande un mot de passe que je n’ai plus.',
    channel: 'phone',
    contact: { name: 'Jeanne Dupuis', phone: '06 12 34 56 78', preferredChannel: 'phone' },
    async then(s) {
      await s.qualify({ type: 'request', category: 'messagerie', priority: 'normal' });
      // The call the request came from, timed in the console, then the procedure followed on it.
      const end = Date.now() - 60_000;
      await recordConsoleCall(s.ctx(), s.t.id, s.n1, {
        direction: 'inbound',
        startedAt: new Date(end - 7 * 60_000 - 24_000).toISOString(),
        endedAt: new Date(end).toISOString(),
        note: 'Mme Dupuis n’a plus le mot de passe de sa boîte Orange. Son numéro de secours est l’ancien fixe : à vérifier avec elle.',
      });
      await applyProcedure(s.ctx(), s.t.id, 'orange-messagerie', s.n1);
      const items = await s.ctx().db.select().from(checklistItems).where(and(eq(checklistItems.ticketId, s.t.id), eq(checklistItems.kind, 'procedure'))).orderBy(checklistItems.position);
      for (const item of items.slice(0, 3)) await checkItem(s.ctx(), s.t.id, item.id, s.n1, true);
    },
  },
  {
    subject: 'Compte Facebook piraté, mes amis reçoivent des messages',
    description: 'Quelqu’un a changé mon mot de passe et écrit à mes amis pour demander de l’argent.',
    channel: 'whatsapp',
    contact: { name: 'Marcel Girard', phone: '+33 7 81 22 33 44', whatsappId: '33781223344', preferredChannel: 'whatsapp' },
    async then(s) {
      await triggerCyberEmergency(s.ctx(), s.t.id, s.n1, 'Le client pense que son compte est utilisé pour escroquer ses amis.');
    },
  },
  {
    subject: 'Attestation de droits Ameli',
    description: 'Je voudrais télécharger mon attestation pour la mutuelle.',
    channel: 'web',
    contact: { name: 'Fatima Benali', email: 'fatima.benali@example.fr', preferredChannel: 'email' },
    async then(s) {
      await s.qualify({ type: 'request', category: 'démarches', priority: 'normal' });
      await s.reply();
      await s.status('waiting_on_contact', 'La cliente doit retrouver son numéro de sécurité sociale.');
    },
  },
  {
    subject: 'Ordinateur très lent au démarrage',
    description: 'Il met 10 minutes à démarrer, des fenêtres publicitaires s’ouvrent.',
    channel: 'phone',
    contact: { name: 'Gérard Lambert', phone: '01 45 67 89 10' },
    async then(s) {
      await s.qualify({ type: 'incident', category: 'ordinateur', priority: 'normal' });
      await escalateTicket(s.ctx(), s.t.id, s.n1, { to: 2, reason: 'Diagnostic à distance nécessaire (démarrage lent, publicités).' });
      await s.status('in_progress', undefined, s.n2);
      await seedOverdueCallback(s.ctx(), s.t.id, s.n2, 'Rappeler M. Lambert pour la prise en main à distance : il sera devant son ordinateur.');
    },
  },
  {
    subject: 'Code annuel du logiciel de paie',
    description: 'Besoin du code annuel pour débloquer le logiciel.',
    channel: 'phone',
    queue: 'administratif',
    contact: { name: 'Cabinet Roux', email: 'contact@cabinet-roux.example', phone: '04 78 00 11 22' },
    async then(s) {
      await s.qualify({ type: 'request', category: 'logiciel', priority: 'normal' });
      await s.reply('Bonjour, je vous rappelle dans l’heure pour vous donner le code annuel.');
      await doneCallback(s, 'reached', 'Code annuel dicté à Mme Roux, le logiciel est débloqué.');
      await s.status('resolved', 'Code annuel donné par téléphone.');
      await rate(s, 5, 'Très rapide, et Chloé a pris le temps de tout vérifier avec moi. Merci !');
    },
  },
  {
    subject: 'Erreur à l’export comptable',
    description: 'Le logiciel affiche « erreur 0x80 » à l’export.',
    channel: 'email',
    queue: 'logiciels',
    contact: { name: 'Sophie Marchand', email: 'sophie.marchand@example.fr' },
    async then(s) {
      await s.qualify({ type: 'incident', category: 'logiciel', priority: 'normal' });
      await escalateTicket(s.ctx(), s.t.id, s.n1, { to: 'vendor', reason: 'Bug d’export reproduit, à corriger par l’éditeur.', vendor: { name: 'Éditeur Compta+', reference: 'CPT-2291' } });
    },
  },
  {
    subject: 'Rendez-vous pour installer l’imprimante',
    description: 'Je voudrais qu’un technicien m’aide à installer ma nouvelle imprimante.',
    channel: 'phone',
    contact: { name: 'Henri Fabre', phone: '06 98 76 54 32' },
    async then(s) {
      await s.qualify({ type: 'request', category: 'imprimante', priority: 'normal' });
      await assignTicket(s.ctx(), s.t.id, s.n1, s.ids['technicien@relais.example']!);
      await s.status('scheduled', 'Rendez-vous avec le technicien jeudi à 10 h.');
    },
  },
  {
    subject: 'Facture contestée après intervention',
    description: 'L’intervention n’a rien réglé, je ne veux pas payer.',
    channel: 'phone',
    contact: { name: 'Louise Garnier', phone: '06 11 22 33 44' },
    async then(s) {
      await s.qualify({ type: 'request', category: 'facturation', priority: 'normal' });
      await s.status('suspended', 'Litige sur la facturation : ticket suspendu, non facturé.');
    },
  },
  {
    subject: 'Merci pour l’atelier WhatsApp',
    description: 'Tout fonctionne, je voulais vous remercier.',
    channel: 'sms',
    contact: { name: 'Jeanne Dupuis', phone: '+33612345678' },
    async then(s) {
      await s.qualify({ type: 'request', category: 'atelier', priority: 'low' });
      await s.reply('Merci beaucoup Madame Dupuis, à bientôt pour le prochain atelier !');
      await s.status('resolved');
      await s.status('closed');
    },
  },
  {
    // Flagged by the triage of its words, not confirmed yet: the red button is one click away.
    subject: 'Un faux conseiller de ma banque m’a appelée',
    description: 'Un monsieur m’a appelée en disant qu’il était de ma banque. Il m’a demandé le code reçu par SMS pour bloquer une opération et je le lui ai donné. Maintenant j’ai peur.',
    channel: 'web',
    contact: { name: 'Madeleine Rousseau', phone: '06 84 25 17 39', email: 'madeleine.rousseau@example.fr', preferredChannel: 'phone' },
  },
];

async function doneCallback(s: Steps, outcome: CallbackOutcome, note: string): Promise<void> {
  const { callback } = await s.ctx().db.transaction((tx) => requestCallback(s.ctx(), tx, { ticket: s.t.id, ownerId: s.n1.id, source: 'console', reason: 'Donner le code annuel par téléphone' }, s.n1));
  await completeCallback(s.ctx(), callback.id, s.n1, outcome, note);
}

/** The client's rating, as the portal or the email's rating link records it. */
async function rate(s: Steps, score: number, comment: string): Promise<void> {
  await s.ctx().db.transaction(async (tx) => {
    const t = await lockTicket(tx, s.t.id);
    await saveRating(tx, t, { kind: 'contact', id: t.contactId }, score, comment);
  });
}

/**
 * numi's demo workspace: staff of every role, clients, and requests in every status with what
 * the console shows on them (calls, callbacks, a procedure's checklist, WhatsApp deliveries,
 * a rating, a possible emergency), plus edited help pages with their history. Seeded once,
 * through the services (the rules, events and notifications are the real ones).
 */
export async function seedDemo(ctx: AppContext, password: string): Promise<'seeded' | 'already'> {
  const [existing] = await ctx.db.select({ id: staff.id }).from(staff).where(eq(staff.email, DEMO_STAFF[0]!.email));
  if (existing) return 'already';
  const ids: Record<string, string> = {};
  for (const s of DEMO_STAFF) {
    const row = await createStaff(ctx.db, { email: s.email, name: s.name, role: s.role, level: s.level, skills: s.skills, password });
    ids[s.email] = row.id;
  }
  const n1: Staff = { kind: 'staff', id: ids['n1@relais.example']! };
  const n2: Staff = { kind: 'staff', id: ids['n2@relais.example']! };
  // Edited before the requests use them: the procedure applied below is its latest version.
  await seedContentHistory(ctx.db, ids['admin@relais.example']!, ids['superviseur@relais.example']!);

  for (const { then, ...input } of DEMO_REQUESTS) {
    const { ticket: t } = await createTicket(ctx, n1, input);
    const steps: Steps = {
      t,
      n1,
      n2,
      ids,
      ctx: () => ctx,
      qualify: (q = { type: 'request', category: 'assistance', priority: 'normal' }) => qualifyTicket(ctx, t.id, n1, q),
      reply: (body = 'Bonjour, je m’occupe de votre demande. Je reviens vers vous très vite.') => addStaffMessage(ctx, t.id, n1, { visibility: 'public', body }),
      status: (status, reason, by = n1) => changeStatus(ctx, t.id, by, { status, ...(reason ? { reason } : {}) }),
    };
    await then?.(steps);
  }

  await seedPhoneMenuCalls(ctx, n1);
  await seedPortalCallback(ctx);
  await seedWhatsAppConversation(ctx, n1);
  await seedLateRequest(ctx, n1);

  // OCM's conditions of access on the software queue, to show a held request.
  await ctx.db.transaction(async (tx) => {
    await tx.update(queues).set({ requiresAudit: true, requiresTraining: 'Logiciel de gestion' }).where(eq(queues.slug, 'logiciels'));
    await announceConfigChange(tx);
  });
  // The NOTIFY reaches this node's cache a moment after the commit: the request below must see the new rules.
  ctx.cache.clear();
  await createTicket(ctx, n1, {
    subject: 'Nouveau client : assistance sur le logiciel de gestion',
    description: 'Nous venons de signer et voudrions de l’aide sur le module stock.',
    channel: 'phone',
    queue: 'logiciels',
    contact: { name: 'Garage Perrin', phone: '03 20 40 60 80' },
  });
  return 'seeded';
}

/**
 * A fresh one-time link to the demo client's "Mes demandes" on the portal (no email or SMS
 * is configured in the demo to send it), printed at each start.
 */
export async function demoPortalLink(ctx: AppContext): Promise<string | null> {
  const [who] = await ctx.db.select({ contactId: contactIdentities.contactId }).from(contactIdentities).where(and(eq(contactIdentities.kind, 'phone'), eq(contactIdentities.value, DEMO_PORTAL_CLIENT.phone)));
  if (!who) return null;
  return magicLinkUrl(ctx.config, await createMagicLink(ctx.db, who.contactId, null));
}
