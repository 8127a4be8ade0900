import { describe, expect, it } from 'vitest';
import { parseInboundEmail } from './parse-inbound';

const CRLF = '\r\n';
const wrap76 = (b64: string) => b64.replace(/.{1,76}/g, '$&\r\n').trimEnd();

// 1x1 transparent PNG and a tiny PDF: real bytes so sizes and round-trips are checkable.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const HTML = '<div dir="ltr"><p>Bonjour,</p><p>Voici la capture du message d\'erreur :</p><img src="cid:ii_m3abc123" alt="capture.png"><p>Merci,<br>Marie</p></div>';

function gmailReplyFixture(): Buffer {
  return Buffer.from(
    [
      'Return-Path: <marie.dupre@client.fr>',
      'MIME-Version: 1.0',
      'Date: Mon, 3 Nov 2026 11:02:17 +0100',
      'Message-ID: <CAF=xQ7pZk3+abc@mail.gmail.com>',
      'In-Reply-To: <ticket-48213.3@relais.example.fr>',
      'References: <ticket-48213.1@relais.example.fr>',
      ' <ticket-48213.3@relais.example.fr>',
      'Subject: =?UTF-8?B?UmU6IFtOVU0tNDgyMTNdIENvbW1hbmRlIGJsb3F1w6ll?=',
      'From: =?ISO-8859-1?Q?Marie_Dupr=E9?= <marie.dupre@client.fr>',
      'To: "Support Relais" <support+tK9fQ2xZ@relais.example.fr>',
      'Cc: compta@client.fr, Jean Martin <j.martin@client.fr>',
      'Content-Type: multipart/mixed; boundary="mixed-1"',
      '',
      '--mixed-1',
      'Content-Type: multipart/related; boundary="related-1"',
      '',
      '--related-1',
      'Content-Type: multipart/alternative; boundary="alt-1"',
      '',
      '--alt-1',
      'Content-Type: text/plain; charset="UTF-8"',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Bonjour,',
      '',
      "Voici la capture du message d'erreur : le bouton =C2=AB Payer =C2=BB reste gr=",
      'is=C3=A9.',
      '',
      'Merci,',
      'Marie',
      '',
      'Le lun. 3 nov. 2026 =C3=A0 10:12, Support Relais <support+tK9fQ2xZ@relais.e=',
      'xample.fr> a =C3=A9crit :',
      '',
      '> Bonjour Marie,',
      '> Pouvez-vous nous envoyer une capture ?',
      '',
      '--alt-1',
      'Content-Type: text/html; charset="UTF-8"',
      'Content-Transfer-Encoding: base64',
      '',
      wrap76(Buffer.from(HTML).toString('base64')),
      '',
      '--alt-1--',
      '',
      '--related-1',
      'Content-Type: image/png; name="capture.png"',
      'Content-Disposition: inline; filename="capture.png"',
      'Content-Transfer-Encoding: base64',
      'Content-ID: <ii_m3abc123>',
      '',
      wrap76(PNG.toString('base64')),
      '',
      '--related-1--',
      '',
      '--mixed-1',
      "Content-Type: application/pdf; name*=UTF-8''re%C3%A7u.pdf",
      "Content-Disposition: attachment; filename*=UTF-8''re%C3%A7u.pdf",
      'Content-Transfer-Encoding: base64',
      '',
      wrap76(PDF.toString('base64')),
      '',
      '--mixed-1--',
      '',
    ].join(CRLF),
  );
}

describe('parseInboundEmail — Gmail reply with inline image and attachment', () => {
  it('decodes headers and threading ids', async () => {
    const mail = await parseInboundEmail(gmailReplyFixture());
    expect(mail.subject).toBe('Re: [NUM-48213] Commande bloquée');
    expect(mail.from).toEqual({ address: 'marie.dupre@client.fr', name: 'Marie Dupré' });
    expect(mail.to).toEqual([{ address: 'support+tK9fQ2xZ@relais.example.fr', name: 'Support Relais' }]);
    expect(mail.cc).toEqual([
      { address: 'compta@client.fr', name: '' },
      { address: 'j.martin@client.fr', name: 'Jean Martin' },
    ]);
    expect(mail.messageId).toBe('<CAF=xQ7pZk3+abc@mail.gmail.com>');
    expect(mail.inReplyTo).toBe('<ticket-48213.3@relais.example.fr>');
    expect(mail.references).toEqual(['<ticket-48213.1@relais.example.fr>', '<ticket-48213.3@relais.example.fr>']);
    expect(mail.date?.toISOString()).toBe('2026-11-03T10:02:17.000Z');
    expect(mail.headers['subject']).toBe('=?UTF-8?B?UmU6IFtOVU0tNDgyMTNdIENvbW1hbmRlIGJsb3F1w6ll?=');
    expect(mail.headers['references']).toBe('<ticket-48213.1@relais.example.fr> <ticket-48213.3@relais.example.fr>');
  });

  it('decodes the quoted-printable text and extracts the new reply', async () => {
    const mail = await parseInboundEmail(gmailReplyFixture());
    expect(mail.text).toContain("Voici la capture du message d'erreur : le bouton « Payer » reste grisé.");
    expect(mail.replyText).toBe("Bonjour,\n\nVoici la capture du message d'erreur : le bouton « Payer » reste grisé.\n\nMerci,\nMarie");
    expect(mail.quotedText).toBe(
      'Le lun. 3 nov. 2026 à 10:12, Support Relais <support+tK9fQ2xZ@relais.example.fr> a écrit :\n\n> Bonjour Marie,\n> Pouvez-vous nous envoyer une capture ?',
    );
  });

  it('keeps the base64 HTML with its cid link', async () => {
    const mail = await parseInboundEmail(gmailReplyFixture());
    expect(mail.html).toContain('<img src="cid:ii_m3abc123" alt="capture.png">');
  });

  it('returns the inline image and the RFC 2231-named attachment with their bytes', async () => {
    const mail = await parseInboundEmail(gmailReplyFixture());
    expect(mail.attachments.map(({ content: _content, ...rest }) => rest)).toEqual([
      { filename: 'capture.png', contentType: 'image/png', size: PNG.length, contentId: 'ii_m3abc123', inline: true },
      { filename: 'reçu.pdf', contentType: 'application/pdf', size: PDF.length, contentId: null, inline: false },
    ]);
    expect(mail.attachments[0]?.content.equals(PNG)).toBe(true);
    expect(mail.attachments[1]?.content.equals(PDF)).toBe(true);
    expect(mail.autoReply).toBe(false);
  });
});

describe('parseInboundEmail — charsets and encodings', () => {
  it('decodes an 8-bit ISO-8859-1 body and a Q-encoded Latin-1 subject', async () => {
    const raw = Buffer.concat([
      Buffer.from(
        [
          'From: Jean Martin <j.martin@exemple.fr>',
          'To: support@relais.example.fr',
          'Subject: =?ISO-8859-1?Q?Probl=E8me_r=E9gl=E9_=28NUM-48213=29?=',
          'Message-ID: <20261103.4242@exemple.fr>',
          'Date: Mon, 03 Nov 2026 14:00:00 +0100',
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=ISO-8859-1',
          'Content-Transfer-Encoding: 8bit',
          '',
          '',
        ].join(CRLF),
      ),
      Buffer.from('Le problème est réglé, merci à toute l\'équipe.\r\n\r\n-- \r\nJean Martin\r\n', 'latin1'),
    ]);
    const mail = await parseInboundEmail(raw);
    expect(mail.subject).toBe('Problème réglé (NUM-48213)');
    expect(mail.text.trim()).toBe("Le problème est réglé, merci à toute l'équipe.\n\n-- \nJean Martin");
    expect(mail.replyText).toBe("Le problème est réglé, merci à toute l'équipe.");
    expect(mail.signature).toBe('--\nJean Martin');
    expect(mail.html).toBeNull();
    expect(mail.inReplyTo).toBeNull();
    expect(mail.references).toEqual([]);
    expect(mail.attachments).toEqual([]);
  });

  it('joins RFC 2231 continuations in attachment names (Apple Mail style)', async () => {
    const raw = Buffer.from(
      [
        'From: marie.dupre@client.fr',
        'To: support@relais.example.fr',
        'Subject: facture',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain; charset=us-ascii',
        '',
        'Ci-joint.',
        '--b',
        'Content-Type: application/pdf',
        'Content-Disposition: inline;',
        "\tfilename*0*=UTF-8''facture%20n%C2%B0%20;",
        '\tfilename*1*=42.pdf',
        'Content-Transfer-Encoding: base64',
        '',
        wrap76(PDF.toString('base64')),
        '--b--',
        '',
      ].join(CRLF),
    );
    const mail = await parseInboundEmail(raw);
    expect(mail.attachments).toHaveLength(1);
    // Disposition "inline" but no cid reference: a file to list, not an embedded image.
    expect(mail.attachments[0]).toMatchObject({ filename: 'facture n° 42.pdf', inline: false, contentId: null });
  });
});

describe('parseInboundEmail — automatic replies and loops', () => {
  it('flags an Outlook out-of-office reply', async () => {
    const raw = Buffer.from(
      [
        'From: Jean Martin <j.martin@exemple.fr>',
        'To: support+tK9fQ2xZ@relais.example.fr',
        'Subject: =?utf-8?Q?R=C3=A9ponse_automatique=C2=A0:_[NUM-48213]_Commande_bloqu=C3=A9e?=',
        'Auto-Submitted: auto-replied',
        'X-Auto-Response-Suppress: All',
        'Message-ID: <oof-1@exemple.fr>',
        'Content-Type: text/plain; charset=utf-8',
        '',
        "Je suis absent jusqu'au 10 novembre.",
        '',
      ].join(CRLF),
    );
    const mail = await parseInboundEmail(raw, { ownMessageIdDomains: ['relais.example.fr'] });
    expect(mail.subject).toBe('Réponse automatique\u00a0: [NUM-48213] Commande bloquée');
    expect(mail.autoReply).toBe(true);
    expect(mail.loop).toBe(false);
    expect(mail.autoReplyReasons).toEqual(['auto-submitted: auto-replied', 'x-auto-response-suppress', 'subject']);
  });

  it('detects our own message coming back', async () => {
    const raw = Buffer.from(
      ['From: support@relais.example.fr', 'To: support@relais.example.fr', 'Subject: test', 'Message-ID: <ticket-48213.9@relais.example.fr>', '', 'x', ''].join(CRLF),
    );
    const mail = await parseInboundEmail(raw, { ownMessageIdDomains: ['relais.example.fr'] });
    expect(mail).toMatchObject({ autoReply: true, loop: true });
  });
});
