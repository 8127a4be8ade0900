import { describe, expect, it } from 'vitest';
import { dial, escapeXml, gather, hangup, numberTarget, pause, play, record, redirect, renderTwiml, say } from './twiml';

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';

describe('renderTwiml', () => {
  it('renders an IVR menu: Gather with a nested French Say, then a fallback', () => {
    const xml = renderTwiml(
      gather(
        { numDigits: 1, action: 'https://relais.test/twilio/voice/menu', timeout: 5 },
        say('Bonjour. Pour le support, tapez 1. Pour la facturation, tapez 2.', { voice: 'Polly.Lea' }),
      ),
      say("Nous n'avons pas reçu votre choix. Au revoir."),
      hangup(),
    );
    expect(xml).toBe(
      XML_DECL +
        '<Response>' +
        '<Gather numDigits="1" timeout="5" action="https://relais.test/twilio/voice/menu" method="POST">' +
        '<Say language="fr-FR" voice="Polly.Lea">Bonjour. Pour le support, tapez 1. Pour la facturation, tapez 2.</Say>' +
        '</Gather>' +
        '<Say language="fr-FR">Nous n&apos;avons pas reçu votre choix. Au revoir.</Say>' +
        '<Hangup/>' +
        '</Response>',
    );
  });

  it('renders a voicemail with Record and recording callback', () => {
    const xml = renderTwiml(
      say('Laissez votre message après le bip.'),
      record({
        action: 'https://relais.test/twilio/voice/recorded',
        maxLength: 120,
        finishOnKey: '#',
        playBeep: true,
        recordingStatusCallback: 'https://relais.test/twilio/voice/recording-status',
      }),
    );
    expect(xml).toContain(
      '<Record action="https://relais.test/twilio/voice/recorded" method="POST" maxLength="120" finishOnKey="#" playBeep="true" recordingStatusCallback="https://relais.test/twilio/voice/recording-status"/>',
    );
  });

  it('renders Dial to one number or several, Redirect, Pause and Play', () => {
    expect(renderTwiml(dial('+33184000000', { callerId: '+33170000000', timeout: 20, action: '/twilio/voice/after-dial' }))).toBe(
      `${XML_DECL}<Response><Dial action="/twilio/voice/after-dial" method="POST" callerId="+33170000000" timeout="20">+33184000000</Dial></Response>`,
    );
    expect(renderTwiml(dial([numberTarget('+33184000001'), numberTarget('+33184000002')]))).toBe(
      `${XML_DECL}<Response><Dial><Number>+33184000001</Number><Number>+33184000002</Number></Dial></Response>`,
    );
    expect(renderTwiml(pause(2), play('https://relais.test/attente.mp3', { loop: 3 }), redirect('/twilio/voice/menu?retry=1&lang=fr'))).toBe(
      `${XML_DECL}<Response><Pause length="2"/><Play loop="3">https://relais.test/attente.mp3</Play><Redirect method="POST">/twilio/voice/menu?retry=1&amp;lang=fr</Redirect></Response>`,
    );
  });

  it('escapes markup in spoken text and attributes', () => {
    const xml = renderTwiml(say('Client <Dupont & Fils> "SARL"', { language: 'en-US' }), redirect('/x?a="1"&b=<2>'));
    expect(xml).toContain('<Say language="en-US">Client &lt;Dupont &amp; Fils&gt; &quot;SARL&quot;</Say>');
    expect(xml).toContain('<Redirect method="POST">/x?a=&quot;1&quot;&amp;b=&lt;2&gt;</Redirect>');
    expect(xml).not.toContain('<Dupont');
  });

  it('drops characters that XML 1.0 forbids', () => {
    expect(escapeXml('a\u0000b\u0007c\td\ne')).toBe('abc\td\ne');
  });
});
