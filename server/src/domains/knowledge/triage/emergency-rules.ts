/**
 * The weighted signals behind `detectEmergency`.
 *
 * Patterns run on the output of `normalizeText` (lower case, no accents, SMS
 * words expanded, doubled letters collapsed) and are themselves folded by
 * `foldPattern`, so they are written here in plain French ("appelé",
 * "mot de passe") and still match "apele" or "mdp".
 *
 * Two kinds of signals:
 *  - harm: something happened or is happening (codes given, money gone,
 *    account taken, files encrypted, a stranger controls the screen…);
 *  - context: makes a harm signal more credible but proves nothing alone
 *    (a call "from the bank", a scam SMS, AnyDesk, panic words…).
 * A harm signal of weight ≥ 1 is an emergency by itself; weaker harm needs
 * context to reach the threshold; context alone never is (see emergency.ts).
 */
import { foldPattern } from './normalize';

export interface RulePattern {
  readonly re: RegExp;
  /** The pattern itself says "not": a negation inside the match is the point, not a denial. */
  readonly negationIsMeaning?: boolean;
}

export interface EmergencyRule {
  readonly code: string;
  /** French, shown to agents. */
  readonly label: string;
  readonly weight: number;
  readonly harm: boolean;
  /** A scam message claiming it ("un SMS qui dit que votre compte est piraté") is bait, not proof. */
  readonly notWhenReported?: boolean;
  /** The client's own verdict ("on m'a piraté"): asked as a doubt ("c'est normal ou on m'a piraté ?") it proves nothing. */
  readonly selfDiagnosis?: boolean;
  /** Something the client did: "il veut que je lui donne le code" has not happened yet. */
  readonly clientAction?: boolean;
  /** Our own technicians take remote control too, with consent: "le technicien numi a pris la main". */
  readonly notWithOurStaff?: boolean;
  readonly patterns: readonly RulePattern[];
}

/** Up to n words, never across a sentence end. */
const GAP = (n: number) => `(?: [^ .!?;]+){0,${n}}`;
const ME = '(?:m a|ma|m ont|m avait|m avaient|m as|m|me)';
/** "j'ai", "je lui ai", "je n'ai", "jé" (→ "je")… the client as the one who acted. */
const I_DID = '\\b(?:j|je)(?: (?:ne|n|lui|leur|l|les|la|le|y|en))*(?: (?:ai|avais|aurais))?';
/** Someone the client calls about: "mon père a donné ses codes". */
const THIRD_PARTY =
  '\\b(?:il|elle|ils|elles|mon mari|ma femme|mon epoux|mon epouse|mon pere|ma mere|mon fils|ma fille|mon frere|ma soeur|mon voisin|ma voisine|mon oncle|ma tante|ma grand mere|mon grand pere|papa|maman)';
const ADVERBS =
  '(?: (?:pas|jamais|rien|bien|deja|meme|tout|tous|encore|aussi|malheureusement|betement|naivement|hier|ensuite|finalement|du|alors|donc|vite|surement)){0,4}';
const TOLD = '(?:donne\\w*|donnai\\w*|communiqu\\w*|transmis\\w*|envoye\\w*|envoie\\w*|envoyer|redonne\\w*|fourni\\w*|indique\\w*|lache)';
/** Said aloud: only with the secret right after ("je lui ai lu le code"), "j'ai dit que mon code…" is not giving it. */
const SAID = '(?:dit|dicte\\w*|lu|repete\\w*)';
const TYPED = '(?:tape\\w*|taper|saisi\\w*|rentre\\w*|rentrer|entre|entrer|mis|mise|renseigne\\w*|valide\\w*|valider|confirme\\w*|rempli\\w*|ajoute\\w*)';
const CARD_DATA =
  '(?:carte bancaire|carte bleue|carte de credit|carte visa|cartes bancaires|numeros? de (?:ma |la |mon )?(?:carte|cb)|chiffres de (?:ma |la )?carte|coordonnees bancaires|informations bancaires|infos bancaires|donnees bancaires|references bancaires|cryptogramme|crypto|cvv|cvc|date d expiration|chiffres (?:au dos|derriere|de derriere|du dos)|(?:ma|la|mes) cartes?(?! vitale| sim| grise| d identite| navigo| de fidelite| de transport))';
/** What a client must never hand over. */
const SECRETS =
  `(?:codes?(?! postal| postaux| promo| wifi| wi fi| du wifi| de wifi| de la box| de la porte| de porte| d entree| de l immeuble| portail| du portail| de l alarme| de deverouillage| de deverrouillage| du cadenas| client| de parrainage| parrainage| de reduction| reduction| cadeau| d erreur| erreur| de la route)|mot de passe|mots de passe|identifiants|identifiant (?:ameli|impots|caf|france ?connect|de (?:la |ma )?banque|bancaire|de connexion|et (?:le |mon )?mot de passe)|pin|${CARD_DATA}|numero de securite sociale|numero de secu)`;
const ACCOUNT =
  '(?:compte|comptes|conte|comte|compt|profil|facebook|messenger|instagram|whatsapp|snapchat|tiktok|twitter|linkedin|leboncoin|messagerie|boite mail|boite|mail|mails|email|adresse mail|gmail|hotmail|outlook|yahoo|icloud|ordinateur|telephone|portable|tablette|pc|mac|smartphone|iphone|box|wifi|mot de passe|mots de passe|identifiants)';
const HACKED = '(?:pirate\\w*|pirata\\w*|hacke\\w*|hack)';
const OTHERS =
  "(?:on|ils|quelqu un|quelqu 1|quelqu un d autre|un inconnu|une inconnue|des inconnus|une personne|un monsieur|une dame|un homme|une femme|le monsieur|la dame|l homme|la femme|un type|le type|un escroc|l escroc|les escrocs|un pirate|le pirate|les pirates|un hacker)";
const BANKS =
  '(?:banque|ma banque|la banque|banque postale|la poste|credit agricole|bnp|societe generale|caisse d epargne|lcl|cic|credit mutuel|boursorama|hello bank|fortuneo|monabanq|revolut|n26|paypal|service (?:des )?fraudes?|service de securite|securite bancaire|visa|mastercard)';
const AGENCIES =
  '(?:l ?)?(?:ameli|secu|securite sociale|assurance maladie|cpam|impots?|dgfip|tresor public|finances publiques|caf|antai|edf|engie|la poste|colissimo|chronopost|cpf|compte formation|pole emploi|france travail|urssaf|carte vitale|mutuelle|carsat|retraite)';
const DEVICE = '(?:ordinateur|pc|ecran|windows|navigateur|telephone|tablette|mac|iphone|portable|appareil|internet|smartphone)';
const REMOTE_TOOLS =
  '(?:anydesk|any desk|teamviewer|team viewer|ultraviewer|supremo|quicksupport|quick support|quick assist|logmein|rustdesk|aweray|airdroid|splashtop|ammyy|aeroadmin|screenconnect)';
const PAYMENT =
  '(?:virements?|prelevements?|paiements?|payements?|achats?|operations?|debits?|retraits?|transactions?|depenses?|commandes?|mouvements?|sommes?)';

const rx = (source: string, negationIsMeaning = false): RulePattern => ({
  re: new RegExp(foldPattern(source), 'g'),
  negationIsMeaning,
});

export const EMERGENCY_RULES: readonly EmergencyRule[] = [
  // ── Credentials and money already handed over ─────────────────────────────
  {
    code: 'credentials_given',
    label: 'Codes bancaires ou mots de passe communiqués à un tiers',
    weight: 1.5,
    harm: true,
    clientAction: true,
    patterns: [
      rx(`${I_DID}${ADVERBS} ${TOLD}${GAP(5)} (?:le |la |les |mon |ma |mes |son |leur |un |une |des )?${SECRETS}`),
      rx(`${THIRD_PARTY}(?: (?:lui|leur|les|l))? (?:a|ont|avait|avaient)${ADVERBS} (?:donne\\w*|communiqu\\w*|transmis|fourni\\w*|dicte\\w*|lu)${GAP(5)} (?:ses|son|sa|leurs?|mes|mon|ma|les|le|la) ${SECRETS}`),
      rx(`${I_DID}${ADVERBS} ${SAID}${GAP(2)} (?:le |la |les |mon |ma |mes |son |leur )?${SECRETS}`),
      rx(`${SECRETS}${GAP(4)} (?:je|j)(?: (?:ne|n|le|la|les|l|lui|leur))+(?: ai)?${ADVERBS} (?:${TOLD}|${SAID})`),
    ],
  },
  {
    code: 'secrets_known_by_caller',
    label: 'Un tiers connaît ses codes ou son mot de passe',
    weight: 1,
    harm: true,
    patterns: [
      rx(`(?:il|elle|ils|on|le monsieur|la dame|l escroc|les escrocs|le faux conseiller) (?:a|ont|avait|avaient|connait|connaissait|connaissent|a eu|ont eu) (?:deja )?(?:tous |toutes )?(?:mes|mon|ma) (?:codes|code|mot de passe|identifiants|coordonnees bancaires|numero de carte|informations bancaires)`),
    ],
  },
  {
    code: 'sensitive_data_typed',
    label: 'Coordonnées bancaires ou identifiants saisis (site ou formulaire douteux ?)',
    weight: 0.7,
    harm: true,
    clientAction: true,
    patterns: [
      rx(`${I_DID}${ADVERBS} ${TYPED}${GAP(5)} (?:${CARD_DATA}|rib|iban|mes (?:infos|informations|coordonnees|identifiants|codes)|mon (?:mot de passe|identifiant|code))`),
      rx(`(?:rempli\\w*|complete\\w*)${GAP(2)} (?:le |un |leur |ce |mon |mes |les )?(?:formulaire|questionnaire|informations|infos|coordonnees)`),
      rx(`${I_DID}${ADVERBS} ${TOLD}${GAP(5)} (?:mon |ma |mes )?(?:rib|iban)`),
    ],
  },
  {
    code: 'unauthorised_payment',
    label: 'Paiements ou virements non autorisés',
    weight: 1.2,
    harm: true,
    notWhenReported: true,
    patterns: [
      rx(
        `${PAYMENT}${GAP(8)} (?:que (?:je n ai|j ai|je n avais|j avais) (?:pas|jamais) (?:fait|faits|faite|faites|effectue\\w*|autorise\\w*|demande\\w*|valide\\w*|commande\\w*|reconnu\\w*)|que je (?:ne )?(?:reconnais|connais) pas|pas (?:fait|faits|faite|faites) par moi|non autorise\\w*|non reconnu\\w*|inconnu\\w*|frauduleu\\w*|a mon insu|sans mon (?:accord|autorisation)|sans autorisation)`,
        true,
      ),
      rx(`(?:on|quelqu un|ils|il|elle|les escrocs|l escroc|le monsieur|une personne) (?:m a|a|ont|m ont) (?:vide|pris|pique|vole|retire|debite|preleve|siphonne|detourne)\\w*${GAP(3)} (?:mon compte|mes comptes|de l argent|mon argent|mes economies|\\d+ ?(?:euros|€)|sur mon compte|sur ma carte)`),
      rx('\\b(?:compte|comptes)(?: bancaire)? (?:a ete |est |ont ete |sont )?(?:vide|siphonne)\\w*'),
      rx(`(?:argent|economies|\\d+ ?(?:euros|€))${GAP(3)} (?:a|ont|est|sont) (?:disparu|envole)\\w*`),
      rx(`(?:nouveaux? )?beneficiaires?${GAP(3)} (?:inconnu\\w*|qu on ne connait pas|que (?:je|nous|on) (?:ne )?(?:connais|connait|connaissons) pas|ajoute|ajoutes|ajoutee)\\b`, true),
      rx(`\\d+ ?(?:euros|€) (?:en moins|de moins|qui manquent|manquent)\\b|\\bil me manque${GAP(2)} \\d+ ?(?:euros|€)`),
    ],
  },
  {
    code: 'odd_payment',
    label: 'Paiement ou prélèvement jugé bizarre',
    weight: 0.6,
    harm: true,
    notWhenReported: true,
    patterns: [rx(`${PAYMENT}(?: \\w+)? (?:bizarres?|suspects?|etranges?|louches?|anormau?x|anormales?)\\b`)],
  },
  {
    code: 'scam_victim',
    label: "Le client dit s'être fait arnaquer",
    weight: 1,
    harm: true,
    selfDiagnosis: true,
    patterns: [
      rx(`(?:je me suis fait|je me suis faite|je me suis fais|me suis fait|me suis faite|j ai ete|je suis|on m a|on ma|ils m ont|il m a|elle m a|je viens de me faire) (?:arnaqu\\w*|arnak\\w*|escroqu\\w*|avoir|avoire|pieg\\w*|rouler|roule\\w*)`),
      rx('\\bvictime d (?:une |un )?(?:arnaque|escroquerie|fraude|piratage|escroc|hameconnage|phishing)'),
    ],
  },
  {
    code: 'safe_account_transfer',
    label: 'Virement demandé vers un « compte sécurisé »',
    weight: 1.2,
    harm: true,
    patterns: [
      rx('\\bcompte (?:securise|protege|de securite|refuge|tampon)\\b'),
      rx('pour (?:la|les|le|l) (?:mettre|garder|placer) (?:en securite|a l abri)'),
      rx(`(?:mettre|transferer|virer|deplacer|placer|retirer|donner|remettre) (?:mon|mes|l|son|votre|vos) (?:argent|economies|epargne|bijoux|cartes?)${GAP(3)} (?:pour (?:le|la|les) (?:proteger|securiser|mettre a l abri)|en securite|a l abri)`),
    ],
  },
  {
    code: 'gift_card_payment',
    label: 'Paiement par coupons ou cartes prépayées (PCS, Transcash…)',
    weight: 1,
    harm: true,
    patterns: [rx(`(?:achet\\w*|pay\\w*|donne\\w*|envoye\\w*|code\\w*|demande\\w*|lu|dicte\\w*)${GAP(4)} (?:coupons? |cartes? |recharges? |tickets? )?(?:pcs|transcash|neosurf|paysafecard|toneo|google play|itunes|steam)\\b`)],
  },
  {
    code: 'money_sent',
    label: "De l'argent a déjà été envoyé",
    weight: 0.6,
    harm: true,
    clientAction: true,
    patterns: [
      rx('\\b(?:je viens de|j ai|je lui ai|je leur ai) (?:faire|fait|envoyer|envoye|effectuer|effectue) (?:un|des|plusieurs|le|deux|trois) virements?'),
      rx(`${I_DID}${ADVERBS} (?:paye\\w*|payer|vire|virer|transfere\\w*|verse\\w*|envoye de l argent|fait (?:un|des|plusieurs) virements?|achete des (?:cartes|coupons|recharges)|achete une (?:carte|recharge))`),
    ],
  },
  {
    code: 'pressure_to_pay',
    label: 'Pression pour payer ou faire un virement',
    weight: 0.8,
    harm: true,
    patterns: [
      rx('(?:demande|exige|reclame)\\w* (?:de payer|un paiement|une somme|de l argent|de verser)'),
      rx('(?:il faut|faut|je dois|doit|devez|exige|exigent|reclame\\w*) (?:que je )?(?:payer|paye|verser|virer|envoyer de l argent)\\b'),
      rx(`${ME} (?:demande|demandent|dit|disent|oblige|force|pousse|presse)\\w*${GAP(2)} (?:de |d |a |que je )?(?:faire|envoyer|verser|payer|virer|acheter|transferer|deplacer|mettre|retirer)${GAP(4)} (?:virement|argent|euros|€|\\d+|bitcoin|compte|coupons?|cartes?|somme|economies|epargne)`),
    ],
  },
  {
    code: 'asked_for_codes',
    label: 'Un interlocuteur a réclamé des codes ou une validation',
    weight: 0.7,
    harm: true,
    patterns: [
      rx(`${ME} (?:re)?demande\\w*${GAP(4)} (?:${SECRETS}|de (?:lui |leur )?(?:valider|confirmer|lire|dicter|donner|dire|communiquer|envoyer|taper|saisir|rentrer)|d annuler)`),
      rx(`${ME} (?:dit|oblige|force|pousse)\\w* (?:de|d|a) (?:lui |leur )?(?:valider|confirmer|lire|dicter|donner|communiquer|envoyer|taper|saisir|rentrer|annuler)`),
      rx(`(?:veut|voulait|veulent|voulaient|exige\\w*|reclame\\w*|insiste\\w*)${GAP(4)} (?:le |la |les |mon |ma |mes )?${SECRETS}`),
    ],
  },
  {
    code: 'made_to_act',
    label: 'Un interlocuteur fait faire des virements ou des validations',
    weight: 1,
    harm: true,
    patterns: [
      rx(`(?:${ME}|lui|leur|nous) (?:fait|font|faisait|faisaient|a fait|ont fait) (?:faire (?:un |une |des |plusieurs |deux |trois )?(?:virements?|paiements?|operations?|achats?|transferts?|validations?|retraits?)|valider|confirmer|taper|saisir|accepter|autoriser|envoyer de l argent|payer|virer|verser|transferer|acheter)\\b`),
      rx('\\bvirements? (?:de securite|securises?|de protection)\\b'),
    ],
  },
  {
    code: 'complied',
    label: 'Le client a fait ce que l’interlocuteur demandait',
    weight: 0.6,
    harm: true,
    clientAction: true,
    patterns: [
      rx('\\b(?:je l ai|je les ai|je lui ai|je leur ai|je l avais)(?: (?:deja|bien|tout))? (?:fait|donne\\w*|tape\\w*|lu|dit|envoye\\w*|valide\\w*|confirme\\w*|dicte\\w*|communique\\w*)\\b|\\bj ai (?:obei|fait ce qu)'),
      rx(`${I_DID}${ADVERBS} (?:valide|confirme|accepte|autorise)\\w*${GAP(3)} (?:les |la |le |l |une |un |des |trois |deux |\\d+ )?(?:operations?|paiements?|virements?|transactions?|ajout|beneficiaires?|notifications?)`),
    ],
  },
  {
    code: 'impersonation',
    label: 'Faux conseiller ou usurpation (banque, police, Microsoft…)',
    weight: 0.7,
    harm: true,
    patterns: [
      rx('\\bfaux (?:conseillers?|banquiers?|techniciens?|agents?|policiers?|gendarmes?|support|service|microsoft|site|sites)\\b|\\bfausses? (?:banques?|conseilleres?|policieres?|pages?)\\b'),
      rx('(?:se faisait|se fait|s est fait|se faisaient|se sont fait) passer pour|\\busurp\\w*'),
    ],
  },
  {
    code: 'fake_support_call',
    label: 'Appel d’un faux support technique (Microsoft, Apple…)',
    weight: 0.8,
    harm: true,
    patterns: [rx(`(?:microsoft|windows|apple|le support technique|support microsoft|service technique|police informatique|service informatique)${GAP(1)} ${ME} (?:appele\\w*|telephone\\w*|contacte\\w*|dit|demande\\w*)`)],
  },

  // ── Accounts taken over ───────────────────────────────────────────────────
  {
    code: 'account_hacked',
    label: 'Compte ou appareil piraté',
    weight: 1,
    harm: true,
    selfDiagnosis: true,
    notWhenReported: true,
    patterns: [
      rx(`\\b${ACCOUNT}${GAP(4)} ${HACKED}(?! (?:votre|vos|ton|tes)\\b)`),
      rx(`${HACKED}${GAP(2)} (?:mon|ma|mes|notre|nos) ${ACCOUNT}`),
      rx(`(?:je me suis fait|je me suis faite|je me suis fais|me suis fait|me suis faite|j ai ete|je suis|on m a|on ma|ils m ont|il m a|je viens de me faire) ${HACKED}`),
      rx('\\bpiratage (?:de|du|sur|en cours)\\b'),
    ],
  },
  {
    code: 'account_details_changed',
    label: 'Mot de passe ou adresse du compte modifiés par un tiers',
    weight: 1,
    harm: true,
    notWhenReported: true,
    patterns: [
      rx(`${OTHERS} (?:m a |a |ont |m ont |vient de |viennent de |m avait |avait )(?:change|modifie|remplace|supprime)\\w*${GAP(1)} (?:mon|ma|mes|le|les|l) ?(?:mot de passe|mots de passe|adresse mail|adresse email|mail|email|numero|identifiant\\w*|code|acces|telephone)`),
      rx(`(?:rib|iban|adresse mail|adresse email|numero de telephone|mot de passe|adresse)${GAP(2)} (?:n est plus|ce n est plus|c est plus|n est pas) (?:le mien|la mienne|mon|ma)\\b`, true),
      rx(`(?:change|modifie|remplace)\\w*${GAP(4)} (?:sans moi|pas par moi|a mon insu|sans mon accord|sans que je|sans ma permission|sans rien demander|que je n ai pas demande|que j ai pas demande)`, true),
    ],
  },
  {
    code: 'password_changed',
    label: 'Mot de passe changé (par qui ?)',
    weight: 0.6,
    harm: true,
    notWhenReported: true,
    patterns: [
      rx(`(?:mot de passe|mots de passe|adresse mail|adresse email|numero de telephone|compte|rib)${GAP(2)} (?:a ete|ont ete|est|sont) (?:change|modifie|remplace)\\w*`),
      rx(`(?:changement|modification|reinitialisation) (?:de|du) (?:mon )?(?:mot de passe|l adresse)${GAP(6)} (?:pas demande|jamais demande|sans (?:l avoir )?demande\\w*|que je n ai pas fait|que j ai pas fait)`, true),
    ],
  },
  {
    code: 'contacts_receive_messages',
    label: 'Des proches reçoivent des messages envoyés à son insu',
    weight: 1,
    harm: true,
    patterns: [
      rx(`(?:mes |tous mes |plusieurs de mes |plusieurs )(?:amis|amies|contacts|proches|connaissances|correspondants|enfants)${GAP(3)} (?:recoivent|recoive|ont recu|ont eu|me disent|m ecrivent|se plaignent|me previennent)${GAP(4)} (?:messages?|mails?|demandes?|liens?|sms|invitations?|spams?)`),
      rx(`(?:ma famille|tout le monde|tous mes contacts)${GAP(3)} (?:recoit|a recu|recoivent|ont recu)${GAP(4)} (?:messages?|mails?|demandes?|liens?|sms|spams?)`),
      rx(`(?:messages?|mails?|sms|demandes? d argent|demandes?|invitations?|publications?)${GAP(5)} (?:de ma part|en mon nom|a mon nom|de mon numero|venant de moi|avec mon nom)`),
      rx(`(?:fils|fille|enfants?|petit fils|petite fille|petits enfants|amie?s?|contacts?|proches|famille|frere|soeur|cousine?|voisine?|copain|copine|collegues?|mari|femme|mere|pere|neveu|niece)${GAP(3)} (?:a|ont) recu${GAP(3)} (?:messages?|mails?|sms|demandes?)${GAP(4)} (?:de (?:mon|ma) ${ACCOUNT}|de moi)\\b`),
      rx(`(?:messages?|mails?|sms|demandes?)${GAP(8)} (?:mais )?(?:c est|ce n est|c etait|ce n etait) pas moi\\b`, true),
      rx(`${ACCOUNT}${GAP(2)} (?:envoie|envoye|envoi|envoient|publie|poste)\\w*${GAP(5)} (?:a|aux|sur) (?:tous )?(?:mes|tous mes) (?:contacts|amis|proches|correspondants|mur)`),
      rx(`(?:messages?|mails?|publications?)${GAP(4)} que (?:je n ai|j ai) (?:pas|jamais) (?:envoye|ecrit|publie)\\w*`, true),
    ],
  },
  {
    code: 'intruder_connected',
    label: "Quelqu'un d'autre utilise le compte ou l'appareil",
    weight: 1,
    harm: true,
    notWhenReported: true,
    patterns: [
      rx(`(?:quelqu un|quelqu 1|quelqu un d autre|un inconnu|une personne|un pirate|le pirate) (?:a|ont|avait) (?:pris )?(?:mon|ma|mes) ${ACCOUNT}\\b`),
      rx(`(?:quelqu un|quelqu 1|une personne|un inconnu|des inconnus|quelqu un d autre|un pirate|des pirates|un hacker)${GAP(3)} (?:connecte\\w*|connecter|introduit\\w*|accede\\w*|acceder|acces|utilise\\w*|utiliser|sert|servi|entre|rentre|est dans|est sur)${GAP(2)} (?:mon|ma|mes)\\b`),
    ],
  },
  {
    code: 'unknown_login_alert',
    label: 'Alerte de connexion inconnue',
    weight: 0.6,
    harm: true,
    patterns: [rx(`connexions?${GAP(2)} (?:inconnue|inhabituelle|suspecte|bizarre|etrange|depuis un autre pays|depuis l etranger|depuis un appareil inconnu|non autorisee|que je n ai pas faite|que j ai pas faite)`, true)],
  },
  {
    code: 'cannot_log_in',
    label: "Ne peut plus se connecter",
    weight: 0.4,
    harm: false,
    patterns: [
      rx(`(?:peux|peut|peu|arrive|arrives|arrivent|parviens|reussis|reussi|ai|a)(?: pas| plus| jamais| pu){1,2}${GAP(1)} (?:a |m |me |y |le |l )?(?:connecter|connecte|acceder|rentrer|entrer|ouvrir)`, true),
      rx(`(?:compte|acces)${GAP(2)} (?:bloque|suspendu|desactive|verrouille)\\w*`),
      rx(`(?:je )?(?:ne )?(?:recois|recoit|rencois) plus (?:rien|mes mails|mes emails|de mails|mes messages|aucun mail)`, true),
      rx(`mot de passe${GAP(3)} (?:ne (?:marche|fonctionne|va) plus|marche plus|n est plus bon|incorrect|refuse)`, true),
    ],
  },

  // ── Ransomware, blackmail ─────────────────────────────────────────────────
  {
    code: 'ransomware',
    label: 'Fichiers chiffrés (rançongiciel)',
    weight: 1.5,
    harm: true,
    patterns: [rx(`(?:fichiers?|documents?|photos|dossiers?|donnees|disque)${GAP(4)} (?:chiffre|chiffres|chiffree|chiffrees|crypte\\w*|encrypte\\w*|pris en otage)\\b`)],
  },
  {
    code: 'ransom_demand',
    label: 'Demande de rançon',
    weight: 1.2,
    harm: true,
    patterns: [
      rx('\\b(?:rancon\\w*|ranson\\w*|rancongiciel\\w*|ransomware\\w*|ransomeware|ransom|wannacry|lockbit|cryptolocker|locky|lisez moi|readme|how to decrypt|decrypt|encrypted)\\b'),
      rx(`(?:payer|paye|verser|envoyer|virer)${GAP(4)} (?:pour|afin de) (?:recuperer|debloquer|retrouver|dechiffrer|ravoir)`),
    ],
  },
  {
    code: 'files_unreadable',
    label: 'Fichiers devenus illisibles',
    weight: 0.6,
    harm: true,
    patterns: [
      rx(`(?:fichiers?|documents?|photos|dossiers?)${GAP(3)} (?:illisibles?|inaccessibles?|renomme\\w*|ne s ouvrent plus)`, true),
      rx(`(?:fichiers?|documents?|photos|dossiers?)${GAP(6)} extension`),
      rx(`(?:impossible d|n arrive plus a|peux plus) (?:ouvrir|lire) (?:mes|les|tous mes) (?:fichiers|documents|photos|dossiers)`, true),
    ],
  },
  {
    code: 'blackmail',
    label: 'Chantage ou sextorsion',
    weight: 1.2,
    harm: true,
    patterns: [
      rx(`${HACKED}${GAP(1)} (?:votre|vos|ton|tes) (?:ordinateur|appareils?|telephone|webcam|camera|ecran|compte|mail|boite|pc|systeme|navigateur)`),
      rx(`(?:mail|message|courriel|email|lettre)${GAP(4)} (?:dit|disant|pretend\\w*|affirme\\w*|explique\\w*) (?:qu il a|qu ils ont|qu on a|avoir) (?:pirate|hacke|infecte|filme|pris le controle|acces)\\w*`),
      rx(`(?:acces a|accede a|pris le controle de|filme\\w*|enregistre\\w*) (?:votre|vos|ton|tes) (?:ordinateur|appareils?|telephone|webcam|camera|ecran|pc|systeme)`),
      rx(`\\b(?:chantage|sextorsion|sextortion|extorsion)\\b|menace\\w* (?:de|d) (?:publier|diffuser|envoyer|partager|montrer|reveler|divulguer)|(?:va|vont|veut|veulent|menace\\w*|sinon)${GAP(2)} (?:publi|diffus|envoi|envoy|partag|montr)\\w*${GAP(3)} (?:a|aux) (?:tous )?(?:vos|mes|tes|ma|ta|votre|mon|ton) (?:contacts|amis|proches|famille|enfants|entourage|femme|mari|collegues)`),
    ],
  },
  {
    code: 'intimate_content_threat',
    label: 'Menace sur des images intimes',
    weight: 0.7,
    harm: true,
    patterns: [
      rx(`(?:videos?|photos?|images|film|enregistrement)${GAP(5)} (?:intimes?|compromettant\\w*|sexe|sexuel\\w*|porno\\w*|adultes?|nue?s?|masturb\\w*|de vous en train|de moi en train)`),
      rx(`(?:filme\\w*|enregistre\\w*)${GAP(4)} (?:sites? (?:pour |porno\\w*|x\\b|adultes?)|adultes?|porno\\w*|webcam|camera|en train de)`),
      rx('(?:a|ont|possede\\w*|detient|detiennent|aurait|auraient) (?:une |des )?(?:videos?|photos|images|enregistrement)(?: \\w+)? de (?:moi|vous|toi)\\b'),
    ],
  },

  // ── Fake technical support, remote control ───────────────────────────────
  {
    code: 'remote_control_by_stranger',
    label: 'Un inconnu contrôle ou a contrôlé l’ordinateur à distance',
    weight: 1.5,
    harm: true,
    notWithOurStaff: true,
    patterns: [
      rx(`(?:a|ont|avait|avaient|il|elle|on|ils|qui) (?:pris|prend|prenait|prennent) (?:la main|le controle|controle|possession de (?:mon|ma|mes))\\b`),
      rx(`(?:quelqu un|quelqu 1|il|elle|on|ils|le monsieur|la dame|une personne|un inconnu)${GAP(1)} (?:bouge|bougeait|controle|controlait|pilote|pilotait|manipule|manipulait|deplace|deplacait) (?:ma souris|mon ordinateur|mon ecran|mon pc|mon clavier|mon telephone|ma tablette)`),
      rx(`(?:souris|curseur|fleche)${GAP(3)} (?:bouge|bougeait|se deplace|se deplacait|deplace)\\w*${GAP(2)} (?:toute seule|tout seul|seule|seul|sans moi|la nuit|sans que je|d elle meme|de lui meme|par elle meme|par lui meme)`),
      rx(`(?:quelqu un|un inconnu|une personne|quelqu un d autre) (?:est|etait) (?:dans|sur) mon (?:ordinateur|pc|telephone|ecran)`),
    ],
  },
  {
    code: 'unknown_remote_tool',
    label: 'Logiciel de contrôle à distance que le client n’a pas installé',
    weight: 1.2,
    harm: true,
    patterns: [rx(`${REMOTE_TOOLS}${GAP(2)} que (?:je n ai|j ai|je n avais|j avais) (?:jamais|pas) (?:installe|telecharge|demande|mis)\\w*`, true)],
  },
  {
    code: 'remote_tool_imposed',
    label: 'Logiciel installé à la demande d’un inconnu',
    weight: 0.7,
    harm: true,
    notWithOurStaff: true,
    patterns: [
      rx(`(?:${OTHERS}|le faux \\w+|un faux \\w+|microsoft|le support|le service|un conseiller|le conseiller|la conseillere)(?: m a| ma| m ont| me| m)? (?:fait|demande d|demande de|dit d|dit de|oblige a|force a|demande a)${GAP(1)} (?:installer|telecharger|ouvrir|lancer|activer)`),
    ],
  },
  {
    code: 'fake_lock_screen',
    label: 'Fausse alerte de blocage à l’écran (faux support technique)',
    weight: 1,
    harm: true,
    patterns: [
      rx(`(?:message|fenetre|pop up|popup|alerte|avertissement|bandeau|page|ecran|voix|notification)(?! d erreur)${GAP(6)} ${DEVICE}${GAP(3)} (?:bloque\\w*|verrouille\\w*|infecte\\w*|pirate\\w*|virus|en danger|contamine\\w*|hacke\\w*)`),
      rx(`(?:message|fenetre|pop up|popup|alerte|avertissement|bandeau|page|ecran|voix|notification)(?! d erreur)${GAP(6)} (?:appeler|appelez|contacter|contactez|composer|composez|telephoner)${GAP(2)} (?:le |un |ce |au )?(?:support|microsoft|apple|windows|numero|service technique|\\d)`),
      rx(`${DEVICE}${GAP(4)} (?:affiche|dit|indique|annonce|ecrit)\\w*${GAP(6)} (?:virus|bloque\\w*|pirate\\w*|infecte\\w*|danger)`),
      rx(`(?:message|fenetre|pop up|popup|alerte|avertissement|bandeau|page|ecran|voix)${GAP(6)} numero a (?:appeler|composer|contacter)`),
      rx(`(?:virus|bloque\\w*|infecte\\w*|pirate\\w*)${GAP(8)} (?:appeler|appelez|appele|composer|contacter) ${GAP(2)}(?:un |le |ce |au )?(?:numero|support microsoft|\\d)`),
    ],
  },
  {
    code: 'call_number_on_screen',
    label: 'Un numéro à appeler s’affiche',
    weight: 0.7,
    harm: true,
    patterns: [
      rx(`(?:appel\\w*|contacte\\w*|composer|compose\\w*|telephoner|joindre)${GAP(3)} (?:ce|le|un|au|leur) (?:numero|support|service technique|technicien)${GAP(3)} (?:qui )?(?:s affiche|affiche|apparait|indique|ecrit|marque|donne|a l ecran|sur l ecran)`),
      rx('numero (?:qui |de telephone qui )?(?:s affiche|apparait|est affiche|est marque|est ecrit) (?:a|sur) l ecran'),
      rx('\\bnumero a (?:appeler|composer|contacter)\\b'),
    ],
  },
  {
    code: 'sim_swap',
    label: 'Carte SIM détournée (SIM swap)',
    weight: 1,
    harm: true,
    patterns: [
      rx('\\bsim swap\\w*|\\bswap (?:de )?sim\\b|\\bduplicata de (?:ma )?(?:carte )?sim\\b'),
      rx(`(?:on|quelqu un|ils|un inconnu) (?:a|ont) (?:demande|commande|active|obtenu|recupere|fait faire)${GAP(2)} (?:une )?(?:nouvelle )?(?:carte )?sim`),
    ],
  },
  {
    code: 'sim_disabled',
    label: 'Carte SIM désactivée ou plus de réseau',
    weight: 0.6,
    harm: true,
    patterns: [
      rx(`(?:carte sim|sim|puce|esim)${GAP(3)} (?:desactive\\w*|bloque\\w*|clone\\w*|transfere\\w*|suspendu\\w*|ne (?:marche|fonctionne) plus)`, true),
      rx(`(?:plus de|plus aucun|pas de|aucun) (?:reseau|service|signal)\\b`, true),
    ],
  },
  {
    code: 'card_stolen',
    label: 'Carte bancaire volée, copiée ou utilisée par un tiers',
    weight: 1,
    harm: true,
    notWhenReported: true,
    patterns: [
      rx(`(?:carte bancaire|carte bleue|carte de credit|ma carte|mes cartes)${GAP(3)} (?:a ete |ont ete |est |sont )?(?:vole\\w*|pirate\\w*|clone\\w*|copie\\w*|utilisee? (?:par quelqu un|sans moi|a mon insu))`),
      rx(`(?:on|quelqu un|ils|un voleur|il|elle) (?:m a|m ont|ma|a|ont) (?:vole|pique|derobe)\\w*${GAP(1)} (?:ma|mes) (?:carte|cartes|carte bancaire)`),
      rx(`(?:${OTHERS}|il|elle|un coursier|le coursier|un livreur|le livreur) (?:a |est |va |vient |doit |m a )?(?:pris|recupere|emporte|venu chercher|vient chercher|passe chercher|passer chercher|venir chercher|recuperer)${GAP(1)} (?:ma|mes|la|les) (?:carte|cartes|carte bancaire|carte bleue|cb|bijoux|cheques?|chequier)`),
    ],
  },
  {
    code: 'device_stolen',
    label: 'Téléphone, portefeuille ou sac volé',
    weight: 0.7,
    harm: true,
    patterns: [rx(`(?:on|quelqu un|ils|un voleur|il|elle) (?:m a|m ont|ma|a|ont) (?:vole|pique|derobe|arrache)\\w*${GAP(1)} (?:mon|ma|mes) (?:telephone|portable|portefeuille|sac|smartphone|iphone)`)],
  },
  {
    code: 'link_clicked',
    label: 'A cliqué sur un lien ou ouvert une pièce jointe',
    weight: 0.5,
    harm: true,
    patterns: [
      rx(`(?:clique\\w*|cliquer|appuye\\w*|appuie\\w*|appuyer|ouvert|suivi|telecharge\\w*)${GAP(3)} (?:sur )?(?:le |un |ce |leur |la |cette |l |les )?(?:liens?|piece jointe|pj|fichier|bouton|application|appli|page|site)`),
      rx('(?:clique\\w*|cliquer|appuye\\w*|appuie\\w*|appuyer) dessus'),
    ],
  },

  // ── Context: raises credibility, never an emergency alone ─────────────────
  {
    code: 'bank_caller',
    label: "Contact d'une personne se disant de la banque ou d'une autorité",
    weight: 0.5,
    harm: false,
    patterns: [
      rx(`(?:conseiller|conseillere|agent|service|monsieur|madame|dame|homme|femme|personne|employe|quelqu un|type|responsable|technicien|banquier|interlocuteur)${GAP(2)} (?:de|d|du) (?:la |ma |sa |leur )?${BANKS}\\b`),
      rx(`${BANKS} ${ME} (?:appele|telephone|contacte|rappele)\\w*`),
      rx(`(?:se (?:disait|disant|presentait|presentant|pretendait|dit|dis)|soi disant|pretendant etre|(?:qui )?(?:dit|disait|disant) etre)${GAP(2)} (?:de |d |du |la |ma |un |une )?(?:${BANKS}|conseiller|banquier|police|gendarme|microsoft)`),
    ],
  },
  {
    code: 'authority_caller',
    label: 'Contact d’une personne se disant de la police, d’un avocat, d’un organisme',
    weight: 0.5,
    harm: false,
    patterns: [rx(`(?:policier|policiere|gendarme|police|gendarmerie|commissaire|avocat|huissier|douane|banque de france|notaire)${GAP(3)} ${ME} (?:appele|telephone|contacte|dit|demande|explique)\\w*`)],
  },
  {
    code: 'scam_pretext',
    label: 'Prétexte classique d’escroc (sécuriser, annuler, rembourser)',
    weight: 0.4,
    harm: false,
    patterns: [rx(`pour (?:securiser|proteger|annuler|bloquer|rembourser|recuperer)${GAP(1)} (?:mon|votre|le|la|l|mes|vos|les) ?(?:compte|comptes|paiement|operation|virement|argent|carte|fraude)`)],
  },
  {
    code: 'banking_app_at_risk',
    label: 'Application ou accès bancaire concerné',
    weight: 0.3,
    harm: false,
    patterns: [rx('\\b(?:appli|application|app) (?:bancaire|de (?:la |ma )?banque)\\b|\\bbanque en ligne\\b')],
  },
  {
    code: 'alarm_sound',
    label: 'Alarme ou voix qui sort de l’ordinateur',
    weight: 0.3,
    harm: false,
    patterns: [rx('\\b(?:alarme|sirene|bip|bips|voix)\\b')],
  },
  {
    code: 'phone_contact',
    label: 'Appelé par un inconnu',
    weight: 0.4,
    harm: false,
    patterns: [rx(`${ME} (?:appel\\w*|telephon\\w*|contacte\\w*|rappel\\w*|joint)\\b|\\b(?:au|par) telephone\\b|\\bun appel (?:de|d|du)\\b|\\btoujours en ligne\\b`)],
  },
  {
    code: 'official_body_lure',
    label: 'Message au nom d’un organisme (remboursement, colis, amende…)',
    weight: 0.4,
    harm: false,
    patterns: [
      rx(`\\brembou\\w*${GAP(8)} ${AGENCIES}\\b|\\b${AGENCIES}${GAP(8)} rembou\\w*`),
      rx(`(?:sms|mail|email|message|courrier|texto)${GAP(6)} (?:colis|amende|carte vitale|crit air|compte formation|cpf|antai|livraison)`),
    ],
  },
  {
    code: 'suspicious_message',
    label: 'Message, appel ou site jugé suspect',
    weight: 0.3,
    harm: false,
    patterns: [
      rx(`(?:sms|mail|email|message|appel|courrier|texto|lien|site|page|numero|notification|coup de fil)(?: (?:un peu|tres|assez|vraiment|completement|super|bien|trop|plutot))? (?:bizarre\\w*|suspect\\w*|louche\\w*|etrange\\w*|inconnu\\w*|frauduleu\\w*|douteu\\w*|faux|fausse|chelou|pas normal|pas net)`),
    ],
  },
  {
    code: 'scam_vocabulary',
    label: 'Parle d’arnaque ou d’escroquerie',
    weight: 0.3,
    harm: false,
    patterns: [rx('\\b(?:arnaque\\w*|arnak\\w*|arnac\\w*|escroc\\w*|escroquerie\\w*|escro|fraude\\w*|frauduleu\\w*|phishing|fishing|hameconnage|spoofing)\\b')],
  },
  {
    code: 'remote_tool',
    label: 'Logiciel de prise en main à distance mentionné',
    weight: 0.4,
    harm: false,
    patterns: [rx(`\\b${REMOTE_TOOLS}\\b`)],
  },
  {
    code: 'device_blocked',
    label: 'Appareil bloqué ou « infecté »',
    weight: 0.5,
    harm: false,
    patterns: [rx(`${DEVICE}${GAP(3)} (?:est |a ete |s est |etait |serait )?(?:bloque\\w*|verrouille\\w*|infecte\\w*|virus)`)],
  },
  {
    code: 'crypto_payment',
    label: 'Paiement en bitcoin ou crypto-monnaie',
    weight: 0.5,
    harm: false,
    patterns: [rx('\\b(?:bitcoins?|btc|crypto ?monnaies?|cryptomonnaies?|ethereum|usdt|binance)\\b')],
  },
  {
    code: 'webcam',
    label: 'Webcam ou caméra mentionnée',
    weight: 0.3,
    harm: false,
    patterns: [rx('\\b(?:webcam|camera)\\b')],
  },
  {
    code: 'distress',
    label: 'Client paniqué',
    weight: 0.3,
    harm: false,
    patterns: [rx('\\b(?:au secour\\w*|a l aide|aidez moi|urgent\\w*|urgence|vite|panique\\w*|help|sos|affole\\w*|catastrophe|je tremble|c est grave)\\b')],
  },
  {
    code: 'complaint_or_opposition',
    label: 'Plainte, police ou opposition évoquées',
    weight: 0.3,
    harm: false,
    patterns: [rx('\\b(?:porter plainte|deposer (?:une )?plainte|police|gendarmerie|commissariat|17cyber|cybermalveillance|opposition)\\b')],
  },
  {
    code: 'no_harm_stated',
    label: "Le client dit n'avoir rien donné ni cliqué",
    weight: -0.5,
    harm: false,
    patterns: [
      rx(
        `(?<!\\bque )(?<!\\bqu )(?<!\\bque je )(?<!\\bqu on )(?<!\\bqu il )(?:je n ai|j ai|n ai|je ne lui ai|je lui ai|je leur ai|je ne leur ai) (?:rien|pas|jamais)(?: du tout| encore)? (?:donne\\w*|donner|clique\\w*|cliquer|repondu|paye\\w*|payer|communiqu\\w*|rempli\\w*|ouvert|rappele\\w*|appele\\w*|saisi\\w*|tape\\w*|installe\\w*|valide\\w*|envoye\\w*|dit)`,
        true,
      ),
      rx('j ai (?:tout de suite |aussitot |immediatement |direct |vite )?(?:raccroche\\w*|supprime\\w*|efface\\w*|ignore\\w*|signale\\w*|bloque (?:le|ce) numero|bloque l expediteur)'),
      rx('\\bsans (?:cliquer|repondre|rien donner|rien dire|ouvrir|rien payer)', true),
    ],
  },
];
