import { describe, it, expect } from 'vitest';
import { detectEmergency, EMERGENCY_THRESHOLD } from './emergency';

const codes = (text: string) => detectEmergency(text).reasons.map((r) => r.code);

/** [message as typed by the client, expected reason code that must be among the reasons] */
const EMERGENCIES: ReadonlyArray<readonly [string, string]> = [
  // Bank fraud, fake advisers
  ['jai donner mon code a un monsieur de la banque', 'credentials_given'],
  ["g donné les codes recu par sms au faux conseiller", 'credentials_given'],
  ["j'ai lu le code du sms a la dame qui disait etre de ma banque", 'credentials_given'],
  ['le code je lui ai donné, il disait que c était pour annuler le paiement', 'credentials_given'],
  ["le conseiller de la banque m'a demandé de valider une opération dans l'appli", 'asked_for_codes'],
  ["Il y a un virement de 2000 euros que je n'ai pas fait sur mon compte !!", 'unauthorised_payment'],
  ['des achats inconnus sur ma carte bleue depuis hier', 'unauthorised_payment'],
  ['on m a vidé mon compte', 'unauthorised_payment'],
  ['aidez moi un faux conseiller est au telephone il veut que je fasse un virement vers un compte securise', 'safe_account_transfer'],
  ['jme sui fai arnaké par un faux banquier', 'scam_victim'],
  ["il m'a fait acheter des coupons PCS pour 500 euros", 'gift_card_payment'],
  ["jai raccroché mais il avait deja mes codes", 'secrets_known_by_caller'],
  // Fake refunds where data was entered
  ['jai recu un sms ameli pour un remboursement jai cliquer et jai mis ma carte bancaire', 'sensitive_data_typed'],
  ['sms des impots remboursement, j ai rempli le formulaire avec mes coordonnées bancaires', 'sensitive_data_typed'],
  // Accounts taken over
  ['mon conte facebook a ete pirater', 'account_hacked'],
  ['je crois que je me suis fait pirater mon insta', 'account_hacked'],
  ['On a changé mon mot de passe et je ne peux plus me connecter', 'account_details_changed'],
  ['je peu plus me conecter et mes amis recoivent des messages bizarres de ma part', 'contacts_receive_messages'],
  ["mes contacts ont reçu des mails de moi demandant de l'argent", 'contacts_receive_messages'],
  ["quelqu'un s'est connecté à mon compte gmail cette nuit", 'intruder_connected'],
  ['mon mdp a été changé sans moi', 'account_details_changed'],
  // Ransomware, blackmail
  ['tous mes fichiers sont chiffrés et il y a un message qui demande une rançon', 'ransomware'],
  ['mes photos sont cryptées ils veulent de largent pour les recuperer', 'ransomware'],
  ["J'ai reçu un mail : j'ai piraté votre ordinateur, j'ai une vidéo de vous via la webcam, payez 500€ en bitcoin", 'blackmail'],
  ['un mail me menace de diffuser une video a tous mes contacts si je paye pas', 'blackmail'],
  // Fake technical support, remote control
  ['au secour ya un message qui dit que mon ordi est bloquer', 'fake_lock_screen'],
  ["une fenetre rouge dit que mon pc est infecté et qu'il faut appeler le numero", 'fake_lock_screen'],
  ["un monsieur de microsoft m'a appelé, il a pris la main sur mon ordinateur", 'remote_control_by_stranger'],
  ['on ma fait installer anydesk et la souris bouge toute seule', 'remote_control_by_stranger'],
  ["un type m'a fait télécharger teamviewer au téléphone, il est encore en ligne", 'remote_tool_imposed'],
  // SIM swap
  ['plus de réseau sur mon téléphone et ma carte sim est désactivée, la banque m appelle pour des virements', 'sim_disabled'],
  ["l'opérateur dit que quelqu'un a demandé une nouvelle carte sim à mon nom", 'sim_swap'],
];

const NOT_EMERGENCIES: readonly string[] = [
  'comment changer mon mot de passe',
  "j'ai oublié mon mot de passe ameli",
  'comment je bloque ma carte si je la perds un jour',
  "ma banque m'a envoyé un nouveau code par courrier",
  'je voudrais un atelier sur les arnaques',
  "j'ai reçu un SMS bizarre, je n'ai pas cliqué, est-ce une arnaque ?",
  "jai recu un sms de l assurance maladie pour un remboursement jai pas cliquer c une arnaque ?",
  "j'ai reçu un mail qui dit que mon compte a été piraté, je n'ai pas cliqué",
  'comment savoir si mon compte a été piraté',
  'que faire si on me vole ma carte bancaire',
  "j'ai peur de me faire pirater, comment protéger mon facebook ?",
  "un faux conseiller m'a appelé mais j'ai raccroché tout de suite, je n'ai rien donné",
  "j'ai reçu un code par sms pour me connecter à ameli, où est-ce que je le tape ?",
  'je ne peux plus me connecter à mon compte impots',
  'mon ordinateur est bloqué depuis la mise à jour',
  'mon petit-fils m’a installé anydesk pour m’aider',
  "le technicien numi m'a demandé d'installer anydesk pour le rendez-vous",
  'le technicien numi a pris la main sur mon ordinateur hier, merci beaucoup',
  "le livreur a pris la commande et l'a déposée chez ma voisine",
  "l'animatrice nous a fait faire des exercices sur la tablette",
  'comment faire un virement à ma fille',
  "j'ai donné mon code postal au livreur",
  'est-ce que vous faites des formations sur le piratage de compte ?',
  "ma fille m'a demandé de lui faire un virement pour son loyer",
  "j'ai payé ma facture orange par carte",
  'mon code wifi ne marche plus',
  'comment activer la double authentification sur gmail ?',
  'je voudrais des conseils pour éviter les arnaques au téléphone',
  'si jamais quelqu’un me demande mes codes, je dois faire quoi ?',
  'un prélèvement EDF que je ne comprends pas sur ma facture',
  'ma carte sim ne marche plus depuis ce matin',
];

describe('detectEmergency — true emergencies, messy spelling included', () => {
  it.each(EMERGENCIES)('%s', (text, code) => {
    const result = detectEmergency(text);
    expect(result.suspected).toBe(true);
    expect(result.reasons.map((r) => r.code)).toContain(code);
    expect(result.score).toBeGreaterThanOrEqual(EMERGENCY_THRESHOLD);
  });
});

describe('detectEmergency — ordinary or preventive questions', () => {
  it.each(NOT_EMERGENCIES.map((t) => [t]))('%s', (text) => {
    expect(detectEmergency(text).suspected).toBe(false);
  });
});

describe('detectEmergency — explanations', () => {
  it('quotes the words that triggered each reason, in the client’s own spelling', () => {
    const { reasons } = detectEmergency('Bonjour, jai donner mon code a un monsieur de la banque. Que faire ?');
    expect(reasons[0]).toEqual({
      code: 'credentials_given',
      label: 'Codes bancaires ou mots de passe communiqués à un tiers',
      excerpt: 'jai donner mon code',
      weight: 1.5,
    });
    expect(reasons.map((r) => r.code)).toContain('bank_caller');
  });

  it('puts harm before context and scores the sum of distinct reasons', () => {
    const result = detectEmergency('un monsieur de microsoft m’a appelé, il a pris la main sur mon ordinateur');
    expect(result.reasons.map((r) => r.code)).toEqual(['remote_control_by_stranger', 'fake_support_call', 'phone_contact']);
    expect(result.score).toBe(2.7);
  });

  it('counts a rule once even when it matches twice', () => {
    const result = detectEmergency('mon compte facebook a été piraté. Oui, mon compte facebook a été piraté !');
    expect(result.reasons.filter((r) => r.code === 'account_hacked')).toHaveLength(1);
  });

  it('returns nothing for an empty or neutral message', () => {
    expect(detectEmergency('')).toEqual({ suspected: false, score: 0, reasons: [] });
    expect(detectEmergency('Bonjour, merci pour votre aide hier !')).toEqual({ suspected: false, score: 0, reasons: [] });
  });
});

describe('detectEmergency — negation, hypotheses and reported claims', () => {
  it('a denial right before the verb cancels it', () => {
    expect(detectEmergency("je n'ai pas donné mon code").reasons.map((r) => r.code)).not.toContain('credentials_given');
    expect(detectEmergency('jai pas donner mon code').suspected).toBe(false);
    expect(codes("je n'ai pas cliqué sur le lien")).not.toContain('link_clicked');
    expect(codes("je n'ai jamais rien donné au monsieur")).not.toContain('credentials_given');
    expect(codes("mon compte n'a pas été piraté, c'est juste le mot de passe oublié")).not.toContain('account_hacked');
    expect(codes("ce n'est pas urgent")).not.toContain('distress');
  });

  it('keeps the negation when it is the meaning ("que je n’ai pas fait")', () => {
    expect(codes("un virement que je n'ai pas fait")).toContain('unauthorised_payment');
    expect(codes('un logiciel TeamViewer que je n’ai jamais installé')).toContain('unknown_remote_tool');
    expect(codes('un logiciel TeamViewer que je n’ai jamais installé')).not.toContain('no_harm_stated');
  });

  it('what someone wants the client to do has not happened yet', () => {
    expect(codes('il veut que je lui donne mon code')).not.toContain('credentials_given');
    expect(codes('il veut que je lui donne mon code')).toContain('asked_for_codes');
  });

  it('a doubt about being hacked, asked as a question, proves nothing', () => {
    expect(detectEmergency("La CAF m'envoie un code à chaque connexion, c'est normal ou on m'a piraté ?").suspected).toBe(false);
    expect(detectEmergency('on m’a piraté, est-ce que je dois porter plainte ?').suspected).toBe(true);
  });

  it('an incident told as settled long ago is not an emergency', () => {
    expect(detectEmergency("J'ai été piratée il y a deux ans, c'est réglé depuis.").suspected).toBe(false);
  });

  it('a negation in another clause does not cancel it', () => {
    expect(detectEmergency('je ne sais pas pourquoi j’ai donné mon code').suspected).toBe(true);
    expect(detectEmergency("je ne comprends pas, mon compte a été piraté").suspected).toBe(true);
  });

  it('a hypothesis covers the rest of its sentence only', () => {
    expect(detectEmergency('si un jour on pirate mon compte, que dois-je faire ?').suspected).toBe(false);
    expect(detectEmergency('que faire si un jour on pirate mon compte ? Mes amis reçoivent déjà des messages de ma part').suspected).toBe(true);
  });

  it('an education wish after the facts does not erase them', () => {
    expect(detectEmergency("je me suis fait arnaquer au téléphone, je voudrais un atelier pour apprendre").suspected).toBe(true);
  });

  it('saying nothing was given lowers weak signals but never hides a strong one', () => {
    expect(detectEmergency("un faux conseiller m'a appelé").suspected).toBe(true);
    expect(detectEmergency("un faux conseiller m'a appelé, j'ai raccroché").suspected).toBe(false);
    expect(detectEmergency("j'ai raccroché mais je lui avais déjà donné mon code").suspected).toBe(true);
  });

  it('a scam message claiming a hack is bait, not proof', () => {
    expect(detectEmergency('un sms dit que ma carte bancaire a été piratée').suspected).toBe(false);
    expect(detectEmergency('ma carte bancaire a été piratée').suspected).toBe(true);
  });

  it('context alone, however much, is not an emergency', () => {
    const result = detectEmergency('SMS bizarre de la CAF pour un remboursement, arnaque ? urgent, un monsieur m’a appelé aussi');
    expect(result.score).toBeGreaterThanOrEqual(EMERGENCY_THRESHOLD);
    expect(result.suspected).toBe(false);
  });
});
