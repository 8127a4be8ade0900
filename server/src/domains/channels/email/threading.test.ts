import { describe, expect, it } from 'vitest';
import {
  buildReplyAddress,
  detectAutoReply,
  extractTicketNumber,
  extractTicketNumbers,
  findReplyToken,
  isAutoReply,
  parseMessageIdList,
  parseReplyAddress,
  threadLookupIds,
} from './threading';

const OPTS = { domain: 'relais.example.fr' };

describe('reply addresses', () => {
  it('round-trips a token through support+token@domain', () => {
    const address = buildReplyAddress('tK9fQ2xZ', OPTS);
    expect(address).toBe('support+tK9fQ2xZ@relais.example.fr');
    expect(parseReplyAddress(address, OPTS)).toBe('tK9fQ2xZ');
  });

  it('reads the token from a display-name address with different case', () => {
    expect(parseReplyAddress('"Support Relais" <SUPPORT+tK9fQ2xZ@Relais.Example.FR>', OPTS)).toBe('tK9fQ2xZ');
    expect(parseReplyAddress('aide+tK9fQ2xZ@relais.example.fr', { ...OPTS, localPart: 'aide' })).toBe('tK9fQ2xZ');
  });

  it('ignores other domains, other local parts and malformed tokens', () => {
    expect(parseReplyAddress('support+tK9fQ2xZ@evil.example', OPTS)).toBeNull();
    expect(parseReplyAddress('sales+tK9fQ2xZ@relais.example.fr', OPTS)).toBeNull();
    expect(parseReplyAddress('support@relais.example.fr', OPTS)).toBeNull();
    expect(parseReplyAddress('support+a b@relais.example.fr', OPTS)).toBeNull();
    expect(parseReplyAddress('not an address', OPTS)).toBeNull();
    expect(() => buildReplyAddress('bad token!', OPTS)).toThrow();
  });

  it('finds the first token among several recipients', () => {
    expect(findReplyToken(['marie@client.fr', 'Support <support+abcd1234@relais.example.fr>'], OPTS)).toBe('abcd1234');
    expect(findReplyToken(['marie@client.fr'], OPTS)).toBeNull();
  });
});

describe('ticket numbers in subjects', () => {
  it('extracts bracketed, parenthesised and lower-case numbers', () => {
    expect(extractTicketNumber('[NUM-48213] Commande bloquée')).toBe('NUM-48213');
    expect(extractTicketNumber('RE: TR: Commande bloquée (NUM-48213)')).toBe('NUM-48213');
    expect(extractTicketNumber('Re: [num-48213] suite')).toBe('NUM-48213');
    expect(extractTicketNumbers('Fusion NUM-1 et [NUM-48213] (num-1)')).toEqual(['NUM-1', 'NUM-48213']);
  });

  it('does not match inside other references', () => {
    expect(extractTicketNumber('Facture XNUM-48213')).toBeNull();
    expect(extractTicketNumber('Commande NUM48213')).toBeNull();
    expect(extractTicketNumber('Bonjour')).toBeNull();
    expect(extractTicketNumber('[REL-77] test', 'REL')).toBe('REL-77');
  });
});

describe('Message-ID lists', () => {
  it('normalises In-Reply-To / References', () => {
    expect(parseMessageIdList('<CAF=abc123@mail.gmail.com>')).toEqual(['<CAF=abc123@mail.gmail.com>']);
    expect(parseMessageIdList('<a@x.fr>\r\n <b@y.fr>   <a@x.fr>')).toEqual(['<a@x.fr>', '<b@y.fr>']);
    expect(parseMessageIdList('<a@x.fr>, <b@y.fr> (Marie Dupont\'s message of lundi)')).toEqual(['<a@x.fr>', '<b@y.fr>']);
    expect(parseMessageIdList('a@x.fr b@y.fr')).toEqual(['<a@x.fr>', '<b@y.fr>']);
    expect(parseMessageIdList(['<a@x.fr>', '<c@z.fr>'])).toEqual(['<a@x.fr>', '<c@z.fr>']);
    expect(parseMessageIdList(undefined)).toEqual([]);
    expect(parseMessageIdList('garbage')).toEqual([]);
  });

  it('orders lookup ids from the most specific', () => {
    expect(threadLookupIds('<c@x>', '<a@x> <b@x> <c@x>')).toEqual(['<c@x>', '<b@x>', '<a@x>']);
  });
});

describe('detectAutoReply', () => {
  it('treats a normal reply as human', () => {
    expect(detectAutoReply({ 'message-id': '<CAF123@mail.gmail.com>', 'auto-submitted': 'no' }, 'Re: [NUM-48213] Commande', { ownMessageIdDomains: ['relais.example.fr'] })).toEqual({
      autoReply: false,
      loop: false,
      reasons: [],
    });
  });

  it('flags RFC 3834 Auto-Submitted values other than "no"', () => {
    expect(isAutoReply({ 'Auto-Submitted': 'auto-replied' })).toBe(true);
    expect(isAutoReply({ 'auto-submitted': 'auto-generated; owner-email="x@y"' })).toBe(true);
    expect(isAutoReply({ 'auto-submitted': 'No' })).toBe(false);
  });

  it('flags Precedence, X-Autoreply, X-Autorespond and Exchange suppress headers', () => {
    expect(isAutoReply({ precedence: 'bulk' })).toBe(true);
    expect(isAutoReply({ precedence: 'junk' })).toBe(true);
    expect(isAutoReply({ precedence: 'list' })).toBe(true);
    expect(isAutoReply({ precedence: 'first-class' })).toBe(false);
    expect(isAutoReply({ 'x-autoreply': 'yes' })).toBe(true);
    expect(isAutoReply({ 'x-autorespond': 'vacation' })).toBe(true);
    expect(isAutoReply({ 'x-auto-response-suppress': 'All' })).toBe(true);
    expect(isAutoReply({ 'x-auto-response-suppress': 'DR, RN, NRN' })).toBe(false);
  });

  it('flags vacation and bounce subjects in French and English', () => {
    expect(isAutoReply({}, 'Réponse automatique : [NUM-48213] Commande')).toBe(true);
    expect(isAutoReply({}, 'Absence du bureau : Commande bloquée')).toBe(true);
    expect(isAutoReply({}, 'Automatic reply: Order')).toBe(true);
    expect(isAutoReply({}, 'Out of Office: Order')).toBe(true);
    expect(isAutoReply({}, 'Undeliverable: Order')).toBe(true);
    expect(isAutoReply({}, 'Re: réponse automatique ne marche pas')).toBe(false);
  });

  it('flags bounces and delivery reports', () => {
    expect(isAutoReply({ from: 'Mail Delivery Subsystem <MAILER-DAEMON@mx.client.fr>' })).toBe(true);
    expect(isAutoReply({ 'content-type': 'multipart/report; report-type=delivery-status; boundary="x"' })).toBe(true);
  });

  it('detects our own mail coming back as a loop', () => {
    const verdict = detectAutoReply({ 'message-id': '<ticket-48213.17@Relais.Example.FR>' }, 'Re: x', { ownMessageIdDomains: ['relais.example.fr'] });
    expect(verdict).toMatchObject({ autoReply: true, loop: true, reasons: ['own message-id'] });
  });
});
