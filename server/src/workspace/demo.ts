import { eq } from 'drizzle-orm';
import type { AppContext } from '../platform/context';
import { staff } from '../domains/auth/auth.schema';
import type { StaffRole } from '../domains/auth/auth-context';
import { createStaff } from '../domains/auth/staff-service';
import { queues } from '../domains/queues/queue.schema';
import { escalateTicket, triggerCyberEmergency } from '../domains/tickets/escalation';
import { createTicket } from '../domains/tickets/ticket-intake';
import { addStaffMessage, assignTicket, changeStatus, qualifyTicket } from '../domains/tickets/ticket-commands';
import type { CreateTicketInput } from '../domains/tickets/ticket.schemas';

export const DEMO_STAFF: { email: string; name: string; role: StaffRole; level: number | null; skills: string[]; label: string }[] = [
  { email: 'admin@relais.example', name: 'Alice Martin', role: 'admin', level: null, skills: [], label: 'administratrice' },
  { email: 'superviseur@relais.example', name: 'Bruno Lefèvre', role: 'supervisor', level: null, skills: [], label: 'superviseur' },
  { email: 'n1@relais.example', name: 'Chloé Bernard', role: 'agent', level: 1, skills: ['messagerie', 'démarches administratives'], label: 'conseillère niveau 1' },
  { email: 'n2@relais.example', name: 'David Moreau', role: 'agent', level: 2, skills: ['messagerie', 'logiciel', 'diagnostic PC'], label: 'conseiller niveau 2' },
  { email: 'n3@relais.example', name: 'Emma Petit', role: 'agent', level: 3, skills: ['sécurité', 'fraude bancaire'], label: 'conseillère niveau 3' },
  { email: 'technicien@relais.example', name: 'Farid Haddad', role: 'technician', level: 2, skills: ['logiciel', 'prise en main à distance'], label: 'technicien' },
];

const DEMO_REQUESTS: (CreateTicketInput & { then?: string[] })[] = [
  {
    subject: 'Je n’arrive plus à lire mes emails Orange',
    description: 'Depuis hier la boîte Orange me demande un mot de passe que je n’ai plus.',
    channel: 'phone',
    contact: { name: 'Jeanne Dupuis', phone: '06 12 34 56 78', preferredChannel: 'phone' },
    then: ['qualify'],
  },
  {
    subject: 'Compte Facebook piraté, mes amis reçoivent des messages',
    description: 'Quelqu’un a changé mon mot de passe et écrit à mes amis pour demander de l’argent.',
    channel: 'whatsapp',
    contact: { name: 'Marcel Girard', phone: '+33 7 81 22 33 44', whatsappId: '33781223344', preferredChannel: 'whatsapp' },
    then: ['cyber'],
  },
  {
    subject: 'Attestation de droits Ameli',
    description: 'Je voudrais télécharger mon attestation pour la mutuelle.',
    channel: 'web',
    contact: { name: 'Fatima Benali', email: 'fatima.benali@example.fr', preferredChannel: 'email' },
    then: ['qualify', 'reply', 'waiting'],
  },
  {
    subject: 'Ordinateur très lent au démarrage',
    description: 'Il met 10 minutes à démarrer, des fenêtres publicitaires s’ouvrent.',
    channel: 'phone',
    contact: { name: 'Gérard Lambert', phone: '01 45 67 89 10' },
    then: ['qualify', 'escalate2', 'progress'],
  },
  {
    subject: 'Code annuel du logiciel de paie',
    description: 'Besoin du code annuel pour débloquer le logiciel.',
    channel: 'phone',
    queue: 'administratif',
    contact: { name: 'Cabinet Roux', email: 'contact@cabinet-roux.example', phone: '04 78 00 11 22' },
    then: ['qualify', 'reply', 'resolve'],
  },
  {
    subject: 'Erreur à l’export comptable',
    description: 'Le logiciel affiche « erreur 0x80 » à l’export.',
    channel: 'email',
    queue: 'logiciels',
    contact: { name: 'Sophie Marchand', email: 'sophie.marchand@example.fr' },
    then: ['qualify', 'vendor'],
  },
  {
    subject: 'Rendez-vous pour installer l’imprimante',
    description: 'Je voudrais qu’un technicien m’aide à installer ma nouvelle imprimante.',
    channel: 'phone',
    contact: { name: 'Henri Fabre', phone: '06 98 76 54 32' },
    then: ['qualify', 'scheduled'],
  },
  {
    subject: 'Facture contestée après intervention',
    description: 'L’intervention n’a rien réglé, je ne veux pas payer.',
    channel: 'phone',
    contact: { name: 'Louise Garnier', phone: '06 11 22 33 44' },
    then: ['qualify', 'suspend'],
  },
  {
    subject: 'Merci pour l’atelier WhatsApp',
    description: 'Tout fonctionne, je voulais vous remercier.',
    channel: 'sms',
    contact: { name: 'Jeanne Dupuis', phone: '+33612345678' },
    then: ['qualify', 'reply', 'resolve', 'close'],
  },
];

/** numi's demo workspace: staff of every role, sample contacts, and tickets in every status. */
export async function seedDemo(ctx: AppContext, password: string): Promise<'seeded' | 'already'> {
  const [existing] = await ctx.db.select({ id: staff.id }).from(staff).where(eq(staff.email, DEMO_STAFF[0]!.email));
  if (existing) return 'already';
  const ids: Record<string, string> = {};
  for (const s of DEMO_STAFF) {
    const row = await createStaff(ctx.db, { email: s.email, name: s.name, role: s.role, level: s.level, skills: s.skills, password });
    ids[s.email] = row.id;
  }
  const n1 = { kind: 'staff' as const, id: ids['n1@relais.example']! };
  const n2 = { kind: 'staff' as const, id: ids['n2@relais.example']! };
  for (const { then = [], ...input } of DEMO_REQUESTS) {
    const { ticket: t } = await createTicket(ctx, n1, input);
    for (const step of then) {
      if (step === 'qualify') await qualifyTicket(ctx, t.id, n1, { type: 'request', category: 'assistance', priority: 'normal' });
      if (step === 'reply') await addStaffMessage(ctx, t.id, n1, { visibility: 'public', body: 'Bonjour, je m’occupe de votre demande. Je reviens vers vous très vite.' });
      if (step === 'waiting') await changeStatus(ctx, t.id, n1, { status: 'waiting_on_contact', reason: 'Le client doit retrouver son numéro de sécurité sociale.' });
      if (step === 'escalate2') await escalateTicket(ctx, t.id, n1, { to: 2, reason: 'Diagnostic à distance nécessaire (démarrage lent, publicités).' });
      if (step === 'progress') await changeStatus(ctx, t.id, n2, { status: 'in_progress' });
      if (step === 'resolve') await changeStatus(ctx, t.id, n1, { status: 'resolved' });
      if (step === 'close') await changeStatus(ctx, t.id, n1, { status: 'closed' });
      if (step === 'vendor') await escalateTicket(ctx, t.id, n1, { to: 'vendor', reason: 'Bug d’export reproduit, à corriger par l’éditeur.', vendor: { name: 'Éditeur Compta+', reference: 'CPT-2291' } });
      if (step === 'scheduled') {
        await assignTicket(ctx, t.id, n1, ids['technicien@relais.example']!);
        await changeStatus(ctx, t.id, n1, { status: 'scheduled', reason: 'Rendez-vous avec le technicien jeudi à 10 h.' });
      }
      if (step === 'suspend') await changeStatus(ctx, t.id, n1, { status: 'suspended', reason: 'Litige sur la facturation : ticket suspendu, non facturé.' });
      if (step === 'cyber') await triggerCyberEmergency(ctx, t.id, n1, 'Le client pense que son compte est utilisé pour escroquer ses amis.');
    }
  }
  // OCM's conditions of access on the software queue, to show a held request.
  await ctx.db.update(queues).set({ requiresAudit: true, requiresTraining: 'Logiciel de gestion' }).where(eq(queues.slug, 'logiciels'));
  await createTicket(ctx, n1, {
    subject: 'Nouveau client : assistance sur le logiciel de gestion',
    description: 'Nous venons de signer et voudrions de l’aide sur le module stock.',
    channel: 'phone',
    queue: 'logiciels',
    contact: { name: 'Garage Perrin', phone: '03 20 40 60 80' },
  });
  return 'seeded';
}
