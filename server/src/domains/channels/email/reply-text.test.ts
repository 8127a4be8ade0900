import { describe, expect, it } from 'vitest';
import { extractReplyText } from './reply-text';

const crlf = (lines: string[]) => lines.join('\r\n');

describe('extractReplyText — Gmail', () => {
  it('cuts at a French attribution wrapped over two lines (with narrow no-break space)', () => {
    const body = crlf([
      'Bonjour,',
      '',
      'La facture 2026-118 est toujours introuvable dans mon espace client.',
      '',
      'Merci,',
      'Marie',
      '',
      'Le lun. 3 nov. 2026 à 10:12, Support Relais <support+tK9fQ2xZ@relais.example.fr> a',
      'écrit\u202f:',
      '',
      '> Bonjour Marie,',
      '>',
      "> Pouvez-vous vérifier dans l'onglet « Documents » ?",
      '>',
      '> Cordialement,',
      "> L'équipe Relais",
      '>',
      '',
    ]);
    const result = extractReplyText(body);
    expect(result.text).toBe('Bonjour,\n\nLa facture 2026-118 est toujours introuvable dans mon espace client.\n\nMerci,\nMarie');
    expect(result.quoted.split('\n')[0]).toBe('Le lun. 3 nov. 2026 à 10:12, Support Relais <support+tK9fQ2xZ@relais.example.fr> a');
    expect(result.quoted).toContain("> Pouvez-vous vérifier dans l'onglet « Documents » ?");
    expect(result.signature).toBe('');
  });

  it('cuts at the English attribution', () => {
    const body = [
      'Thanks, it works now.',
      '',
      'On Mon, Nov 3, 2026 at 10:12 AM Support Relais <support@relais.example.fr> wrote:',
      '',
      '> Hi, could you restart the router?',
    ].join('\n');
    expect(extractReplyText(body)).toEqual({
      text: 'Thanks, it works now.',
      quoted: 'On Mon, Nov 3, 2026 at 10:12 AM Support Relais <support@relais.example.fr> wrote:\n\n> Hi, could you restart the router?',
      signature: '',
    });
  });
});

describe('extractReplyText — Outlook', () => {
  const quotedOutlook = [
    '________________________________',
    'De : Support Relais <support@relais.example.fr>',
    'Envoyé : lundi 3 novembre 2026 10:12',
    'À : Jean Martin <j.martin@exemple.fr>',
    'Objet : RE: [NUM-48213] Commande bloquée',
    '',
    'Bonjour Jean,',
    'Pouvez-vous nous transmettre le bon de commande ?',
  ];

  it('cuts at the underscore rule + « De / Envoyé / À / Objet » block and splits the sign-off', () => {
    const body = crlf([
      'Bonjour,',
      '',
      'Ci-joint le bon de commande signé.',
      '',
      'Bien à vous,',
      '',
      'Jean Martin',
      'Responsable achats – Exemple SAS',
      'Tél. : 01 23 45 67 89',
      '',
      ...quotedOutlook,
    ]);
    const result = extractReplyText(body);
    expect(result.text).toBe('Bonjour,\n\nCi-joint le bon de commande signé.');
    expect(result.signature).toBe('Bien à vous,\n\nJean Martin\nResponsable achats – Exemple SAS\nTél. : 01 23 45 67 89');
    expect(result.quoted).toBe(quotedOutlook.join('\n'));
  });

  it('cuts at a header block without the rule, with bold field names', () => {
    const body = [
      "Oui, c'est bon pour moi.",
      '',
      '*De :* Support Relais <support@relais.example.fr>',
      '*Envoyé :* lundi 3 novembre 2026 10:12',
      '*À :* Jean Martin <j.martin@exemple.fr>',
      '*Objet :* RE: [NUM-48213] Commande bloquée',
      '',
      'Bonjour Jean,',
    ].join('\n');
    const result = extractReplyText(body);
    expect(result.text).toBe("Oui, c'est bon pour moi.");
    expect(result.quoted.startsWith('*De :* Support Relais')).toBe(true);
  });

  it('cuts at « -----Message d\'origine----- » and "-----Original Message-----"', () => {
    const fr = [
      'Merci, je regarde ça demain.',
      '',
      "-----Message d'origine-----",
      'De : Support Relais [mailto:support@relais.example.fr]',
      'Envoyé : lundi 3 novembre 2026 10:12',
      'À : Jean Martin',
      'Objet : RE: Commande bloquée',
    ].join('\n');
    expect(extractReplyText(fr)).toMatchObject({ text: 'Merci, je regarde ça demain.', signature: '' });
    expect(extractReplyText(fr).quoted.startsWith("-----Message d'origine-----")).toBe(true);

    const en = ['Done.', '', '-----Original Message-----', 'From: Support Relais [mailto:support@relais.example.fr]', 'Sent: Monday, November 3, 2026 10:12 AM'].join('\n');
    expect(extractReplyText(en).text).toBe('Done.');
  });

  it('cuts at the English "From: … Sent: … To: … Subject:" block (no address brackets)', () => {
    const body = ['Approved.', '', 'From: Support Relais', 'Sent: Monday, November 3, 2026 10:12 AM', 'To: Jean Martin', 'Subject: RE: Order'].join('\n');
    expect(extractReplyText(body)).toEqual({
      text: 'Approved.',
      quoted: 'From: Support Relais\nSent: Monday, November 3, 2026 10:12 AM\nTo: Jean Martin\nSubject: RE: Order',
      signature: '',
    });
  });
});

describe('extractReplyText — Apple Mail / iPhone', () => {
  it('separates the iPhone tagline and the quoted attribution', () => {
    const body = [
      'Parfait, merci beaucoup !',
      '',
      'Envoyé de mon iPhone',
      '',
      '> Le 3 nov. 2026 à 10:12, Support Relais <support@relais.example.fr> a écrit :',
      '> ',
      '> Bonjour Marie,',
      '> Votre remboursement a été validé.',
    ].join('\n');
    expect(extractReplyText(body)).toEqual({
      text: 'Parfait, merci beaucoup !',
      quoted: '> Le 3 nov. 2026 à 10:12, Support Relais <support@relais.example.fr> a écrit :\n>\n> Bonjour Marie,\n> Votre remboursement a été validé.',
      signature: 'Envoyé de mon iPhone',
    });
  });

  it('cuts at the macOS Mail attribution', () => {
    const body = [
      "C'est réglé de mon côté.",
      '',
      'Marie',
      '',
      '> Le 3 nov. 2026 à 10:12, Support Relais <support@relais.example.fr> a écrit :',
      '>',
      '> Bonjour,',
    ].join('\n');
    const result = extractReplyText(body);
    expect(result.text).toBe("C'est réglé de mon côté.\n\nMarie");
    expect(result.quoted.startsWith('> Le 3 nov. 2026')).toBe(true);
  });
});

describe('extractReplyText — other clients and edge cases', () => {
  it('handles Thunderbird « Le 03/11/2026 à 10:12, X a écrit : »', () => {
    const body = ['Bien reçu.', '', 'Le 03/11/2026 à 10:12, Support Relais a écrit :', '> Bonjour,'].join('\n');
    expect(extractReplyText(body)).toMatchObject({ text: 'Bien reçu.', quoted: 'Le 03/11/2026 à 10:12, Support Relais a écrit :\n> Bonjour,' });
  });

  it('moves a "-- " signature out of the text', () => {
    const body = ['Bonjour,', '', 'Le numéro de série est SN-99812.', '', '-- ', 'Paul Durand', 'Société Exemple', '06 12 34 56 78'].join('\n');
    expect(extractReplyText(body)).toEqual({
      text: 'Bonjour,\n\nLe numéro de série est SN-99812.',
      quoted: '',
      signature: '--\nPaul Durand\nSociété Exemple\n06 12 34 56 78',
    });
  });

  it('moves « Cordialement » sign-offs to the signature', () => {
    const body = ['Bonjour,', '', 'Pouvez-vous me rappeler ?', '', 'Cordialement,', 'Marie Dupont', 'Exemple SAS'].join('\n');
    expect(extractReplyText(body)).toEqual({
      text: 'Bonjour,\n\nPouvez-vous me rappeler ?',
      quoted: '',
      signature: 'Cordialement,\nMarie Dupont\nExemple SAS',
    });
  });

  it('keeps inline answers between quoted lines and only cuts the trailing quote', () => {
    const body = [
      '> Quel est votre numéro de contrat ?',
      'C-2026-0042',
      '',
      '> Depuis quand le problème existe-t-il ?',
      'Depuis lundi.',
      '',
      '> Cordialement,',
      "> L'équipe Relais",
    ].join('\n');
    const result = extractReplyText(body);
    expect(result.text).toBe('> Quel est votre numéro de contrat ?\nC-2026-0042\n\n> Depuis quand le problème existe-t-il ?\nDepuis lundi.');
    expect(result.quoted).toBe("> Cordialement,\n> L'équipe Relais");
  });

  it('does not mistake a sentence for an attribution', () => {
    const body = ['Le technicien a écrit :', '« intervention terminée »', 'mais rien ne fonctionne.'].join('\n');
    expect(extractReplyText(body)).toEqual({ text: body, quoted: '', signature: '' });
  });

  it('includes a foreign attribution introducing a trailing quote (German)', () => {
    const body = ['Danke!', '', 'Am 03.11.2026 um 10:12 schrieb Support Relais <support@relais.example.fr>:', '', '> Hallo,'].join('\n');
    expect(extractReplyText(body)).toEqual({
      text: 'Danke!',
      quoted: 'Am 03.11.2026 um 10:12 schrieb Support Relais <support@relais.example.fr>:\n\n> Hallo,',
      signature: '',
    });
  });

  it('falls back to email-reply-parser for headers it knows and we do not (Danish, unquoted)', () => {
    const body = ['Tak.', '', 'Den 3. nov. 2026 kl. 10.12 skrev Support Relais <support@relais.example.fr>:', '', 'Hej,', 'hvordan går det?'].join('\n');
    const result = extractReplyText(body);
    expect(result.text).toBe('Tak.');
    expect(result.quoted).toContain('skrev Support Relais');
    expect(result.quoted).toContain('hvordan går det?');
  });

  it('returns the whole body when there is nothing to strip, and empty parts for an empty body', () => {
    expect(extractReplyText('Bonjour,\nmon imprimante ne répond plus.\n')).toEqual({ text: 'Bonjour,\nmon imprimante ne répond plus.', quoted: '', signature: '' });
    expect(extractReplyText('')).toEqual({ text: '', quoted: '', signature: '' });
  });
});
