import { Alert, Badge, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { SMS_MAX_CHARS } from '../../../../common/src/message-templates';
import { useChannelsAdminT } from './channels-admin-messages';
import { renderFor, smsParts } from './template-checks';
import type { MessageTemplateView, PreviewChannel, TemplateInput } from './templates-api';
import { QuickReplyLabel } from './WhatsAppTemplateFields';

/**
 * Text with its links marked (not followed: the sample links lead nowhere), paragraphs kept, and
 * what would not be replaced (an unknown {{variable}}) left visible and marked.
 */
function Rendered({ text, inline = false }: { text: string; inline?: boolean }) {
  const t = useChannelsAdminT();
  const parts = text.split(/(https?:\/\/[^\s]+[^\s.,;:!?)]|\{\{[^{}]*\}\}|\{\{|\}\})/g);
  const Tag = inline ? 'span' : 'div';
  return (
    <Tag className="tpl-rendered">
      {parts.map((p, i) =>
        i % 2 === 0 ? (
          p
        ) : p.startsWith('{') || p.startsWith('}') ? (
          <mark key={i} className="tpl-unknown" title={t('tplPreviewUnknown')}>
            {p}
          </mark>
        ) : (
          <span key={i} className="tpl-link">
            {p}
          </span>
        ),
      )}
    </Tag>
  );
}

/**
 * What the client will read, filled with sample values (the server's, built by the functions
 * that fill the real message), on each channel, as the admin types.
 */
export function TemplatePreview({ item, draft }: { item: MessageTemplateView; draft: TemplateInput }) {
  const t = useChannelsAdminT();
  const [channel, setChannel] = useState<PreviewChannel>('email');
  const vars = item.examples[channel];
  const body = renderFor(draft.text, vars, channel, item.variables);
  const sms = smsParts(body);
  const wa = draft.whatsapp;
  const rawReply = item.key === 'agent_reply' && channel !== 'email';
  return (
    <section aria-labelledby="tpl-preview-title" className="tpl-preview">
      <Title order={2} id="tpl-preview-title" size="h3">
        {t('tplPreview')}
      </Title>
      <Text size="sm" mb="xs">
        {t('tplPreviewHint', { name: item.examples.email.name ?? '', number: item.examples.email.number ?? '' })}
      </Text>
      <Tabs value={channel} onChange={(v) => v && setChannel(v as PreviewChannel)} keepMounted={false}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="email">{t('chEmail')}</Tabs.Tab>
          <Tabs.Tab value="sms">{t('chSms')}</Tabs.Tab>
          <Tabs.Tab value="whatsapp">{t('chWhatsApp')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="email">
          <div className="tpl-mail">
            <p className="tpl-mail-subject">
              <span className="tpl-mail-label">{t('tplPreviewSubject')}</span> <Rendered text={renderFor(draft.subject, vars, 'email', item.variables)} inline />
            </p>
            <Rendered text={body} />
          </div>
        </Tabs.Panel>
        <Tabs.Panel value="sms">
          <Stack gap="xs">
            {rawReply && <Text size="sm">{t('tplAgentReplyRaw')}</Text>}
            <div className="tpl-bubble">
              <Rendered text={body} />
            </div>
            <Text size="sm">{t(sms.parts > 1 ? 'tplSmsPartsMany' : 'tplSmsPartsOne', { chars: sms.chars, parts: sms.parts })}</Text>
            {sms.unicode && <Text size="sm">{t('tplSmsUnicode', { chars: sms.outside.slice(0, 6).join(' ') })}</Text>}
            {renderFor(draft.text, vars, 'email', item.variables).length > SMS_MAX_CHARS && (
              <Alert color="orange" variant="light" role="note">
                {t('tplSmsCut', { max: SMS_MAX_CHARS })}
              </Alert>
            )}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="whatsapp">
          <Stack gap="xs">
            {rawReply && <Text size="sm">{t('tplAgentReplyRaw')}</Text>}
            <Text fw={600} size="sm">
              {t('tplWaWithin')}
            </Text>
            <div className="tpl-bubble tpl-bubble-wa">
              <Rendered text={body} />
            </div>
            {item.replyButtons.length > 0 && (
              <Group gap="xs" aria-label={t('tplWaButtons')} role="group">
                {item.replyButtons.map((b) => (
                  <Badge key={b} variant="outline" size="lg" tt="none">
                    {b}
                  </Badge>
                ))}
              </Group>
            )}
            <Text fw={600} size="sm" mt="sm">
              {t('tplWaAfter')}
            </Text>
            {wa ? (
              <div className="tpl-wa-template">
                <Text size="sm">{t('tplWaTemplateSent', { name: wa.name || '…', language: wa.language || '…' })}</Text>
                {wa.params.length > 0 ? (
                  <ol className="tpl-plain-list">
                    {wa.params.map((p, i) => (
                      <li key={i}>
                        <code>{`{{${i + 1}}}`}</code> = {vars[p] ? vars[p]!.replace(/\s*\n\s*/g, ' ').slice(0, 120) : '-'}
                      </li>
                    ))}
                  </ol>
                ) : (
                  <Text size="sm">{t('tplWaNoParams')}</Text>
                )}
                {(wa.quickReplies ?? []).length > 0 && (
                  <Text size="sm">
                    {t('tplWaQuickRepliesSent')}{' '}
                    {(wa.quickReplies ?? []).map((p, i) => (
                      <span key={i}>
                        {i > 0 && ' · '}
                        <QuickReplyLabel payload={p} />
                      </span>
                    ))}
                  </Text>
                )}
              </div>
            ) : (
              <Alert color="orange" variant="light" role="note">
                {t('tplWaNone')}
              </Alert>
            )}
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </section>
  );
}
