import { Group, NumberInput, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useChannelsAdminT } from './channels-admin-messages';
import type { ChannelsStatus, MailServer, MailServerView } from './channels-api';
import { Env, InUseTable, SecretField, useProviderForm } from './channels-kit';
import { EnvOrField, IgnoredAlert, inUseRow, MissingAlert, ProviderForm, ProviderSection, useSecretDrafts } from './provider-form';

interface ServerDraft {
  on: boolean;
  host: string;
  port: number | string;
  security: string;
  user: string;
  mailbox: string;
}
const draftOf = (v: MailServerView, kind: 'smtp' | 'imap'): ServerDraft => {
  const s = v.saved;
  return s
    ? { on: true, host: s.host, port: s.port, security: s.security, user: s.user ?? '', mailbox: s.mailbox ?? 'INBOX' }
    : { on: false, host: '', port: kind === 'smtp' ? 587 : 993, security: kind === 'smtp' ? 'starttls' : 'tls', user: '', mailbox: 'INBOX' };
};

/** Email: sending (SMTP), receiving (Relais's SMTP server, or IMAP polling), the hotline's address. */
export function EmailSettings({ status, onStatus }: { status: ChannelsStatus; onStatus: (s: ChannelsStatus) => void }) {
  const t = useChannelsAdminT();
  const e = status.email;
  const receives = e.smtpInbound || e.imap;
  const [from, setFrom] = useState(e.from.saved ?? '');
  const [smtp, setSmtp] = useState(() => draftOf(e.smtp, 'smtp'));
  const [imap, setImap] = useState(() => draftOf(e.imapServer, 'imap'));
  const passwords = useSecretDrafts(['smtp', 'imap']);
  const form = useProviderForm('email', onStatus, ['from', 'smtp.host', 'smtp.port', 'smtp.user', 'smtp.password', 'imap.host', 'imap.port', 'imap.user', 'imap.password', 'imap.mailbox']);
  const err = form.fieldErrors;

  const describe = (s: MailServer | null) =>
    s ? `${s.host}:${s.port} (${t(s.security === 'tls' ? 'mailTls' : s.security === 'starttls' ? 'mailStarttls' : 'mailPlain')})${s.user ? ` — ${t('mailUserIs', { user: s.user })}` : ''}${s.mailbox ? ` — ${t('mailMailboxIs', { mailbox: s.mailbox })}` : ''}` : null;

  const submit = (ev: React.FormEvent) => {
    ev.preventDefault();
    const body: Record<string, unknown> = {};
    if (e.from.source !== 'env') body.from = from.trim() || null;
    if (e.smtp.source !== 'env') {
      body.smtp = smtp.on ? { host: smtp.host.trim(), port: Number(smtp.port) || 0, security: smtp.security, user: smtp.user.trim() || null, ...(passwords.values.smtp ? { password: passwords.values.smtp } : {}) } : null;
    }
    if (e.imapServer.source !== 'env') {
      body.imap = imap.on ? { host: imap.host.trim(), port: Number(imap.port) || 0, security: imap.security, user: imap.user.trim(), mailbox: imap.mailbox.trim() || null, ...(passwords.values.imap ? { password: passwords.values.imap } : {}) } : null;
    }
    void form.save(body, (next) => {
      passwords.reset();
      setFrom(next.email.from.saved ?? '');
      setSmtp(draftOf(next.email.smtp, 'smtp'));
      setImap(draftOf(next.email.imapServer, 'imap'));
    });
  };
  const savedAny = !!e.from.saved || !!e.smtp.saved || !!e.imapServer.saved || e.smtp.unreadable || e.imapServer.unreadable;
  const secretView = (v: MailServerView) => ({ variable: v.variable, source: v.source, saved: !!v.saved?.password || v.unreadable, unreadable: v.unreadable });

  const serverFields = (kind: 'smtp' | 'imap') => {
    const d = kind === 'smtp' ? smtp : imap;
    const set = (patch: Partial<ServerDraft>) => (kind === 'smtp' ? setSmtp : setImap)((x) => ({ ...x, ...patch }));
    const view = kind === 'smtp' ? e.smtp : e.imapServer;
    const securities = kind === 'smtp' ? ['starttls', 'tls'] : ['tls', 'plain'];
    return (
      <Stack gap="sm" pl="md" className="ch-subform">
        <TextInput id={`ch-${kind}-host`} label={t('mailHost')} description={t(kind === 'smtp' ? 'smtpHostHint' : 'imapHostHint')} value={d.host} onChange={(x) => set({ host: x.currentTarget.value })} error={err[`${kind}.host`]} required autoComplete="off" spellCheck={false} />
        <Group gap="sm" align="flex-start" grow>
          <NumberInput id={`ch-${kind}-port`} label={t('mailPort')} value={d.port} onChange={(v) => set({ port: v })} min={1} max={65535} allowDecimal={false} error={err[`${kind}.port`]} required />
          <Select
            id={`ch-${kind}-security`}
            label={t('mailSecurity')}
            data={securities.map((v) => ({ value: v, label: t(v === 'tls' ? (kind === 'smtp' ? 'mailTls465' : 'mailTls993') : v === 'starttls' ? 'mailStarttls587' : 'mailPlain143') }))}
            value={d.security}
            onChange={(v) => v && set({ security: v, port: v === 'tls' ? (kind === 'smtp' ? 465 : 993) : kind === 'smtp' ? 587 : 143 })}
            allowDeselect={false}
          />
        </Group>
        <TextInput id={`ch-${kind}-user`} label={t('mailUser')} description={kind === 'smtp' ? t('smtpUserHint') : undefined} value={d.user} onChange={(x) => set({ user: x.currentTarget.value })} error={err[`${kind}.user`]} required={kind === 'imap'} autoComplete="off" spellCheck={false} />
        <SecretField
          id={`ch-${kind}-password`}
          label={t('mailPassword')}
          view={secretView(view)}
          {...passwords.field(kind)}
          optional={kind === 'smtp' && !d.user.trim()}
          error={err[`${kind}.password`]}
        />
        {kind === 'imap' && <TextInput id="ch-imap-mailbox" label={t('imapMailbox')} description={t('imapMailboxHint')} value={d.mailbox} onChange={(x) => set({ mailbox: x.currentTarget.value })} autoComplete="off" />}
      </Stack>
    );
  };

  return (
    <ProviderSection id="ch-mail" title={t('chEmail')} ok={e.outbound && receives} off={e.outbound || receives ? t('chPartly') : t('chOff')} intro={t('mailIntro')}>
      {(!e.outbound || !receives) && (
        <MissingAlert>
          {!e.outbound && (
            <li>
              {t('mailNoOutbound')} (<Env name="SMTP_URL" />)
            </li>
          )}
          {!receives && (
            <li>
              {t('mailNoInbound')} (<Env name="IMAP_URL" />, <Env name="SMTP_INBOUND_PORT" />)
            </li>
          )}
        </MissingAlert>
      )}
      <IgnoredAlert ignored={e.ignored} />

      <Title order={3} size="h4">
        {t('mailGive')}
      </Title>
      <Text size="sm">{t('mailReplyHint', { reply: e.replyAddress, address: e.fromAddress })}</Text>
      <Text size="sm">
        {e.inbound.port !== null ? (
          t('mailInboundOn', { domain: e.inbound.domain, port: e.inbound.listening ?? e.inbound.port })
        ) : (
          <>
            {t('mailInboundOff')} <Env name="SMTP_INBOUND_PORT" />
          </>
        )}
      </Text>

      <InUseTable
        caption={t('chInUseCaption', { name: t('chEmail') })}
        rows={[
          inUseRow(t('mailFrom'), e.from),
          { label: t('mailOutbound'), value: describe(e.smtp.inUse), source: e.smtp.source, variable: e.smtp.variable },
          { label: t('mailImap'), value: describe(e.imapServer.inUse), source: e.imapServer.source, variable: e.imapServer.variable, optional: true },
          { label: t('mailInbound'), value: e.inbound.port !== null ? t('mailInboundPort', { port: e.inbound.listening ?? e.inbound.port }) : null, source: e.inbound.port !== null ? 'env' : 'none', variable: 'SMTP_INBOUND_PORT', optional: true },
        ]}
      />

      <ProviderForm id="ch-mail" name={t('chEmail')} initiallyOpen={!e.outbound} onSubmit={submit} gap="md" form={form} canRemove={savedAny} changed={e.changed}>
        <EnvOrField label={t('mailFrom')} view={e.from}>
          <TextInput id="ch-mail-from" label={t('mailFrom')} description={t('mailFromHint')} placeholder="Hotline numi <support@numi.fr>" value={from} onChange={(x) => setFrom(x.currentTarget.value)} error={err.from} autoComplete="off" />
        </EnvOrField>
        <EnvOrField label={t('mailOutbound')} view={e.smtp} value={describe(e.smtp.inUse)}>
          <Switch id="ch-smtp-on" label={t('mailOutboundOn')} description={t('mailOutboundOnHint')} checked={smtp.on} onChange={(x) => setSmtp((d) => ({ ...d, on: x.currentTarget.checked }))} />
          {smtp.on && serverFields('smtp')}
        </EnvOrField>
        <EnvOrField label={t('mailImap')} view={e.imapServer} value={describe(e.imapServer.inUse)}>
          <Switch id="ch-imap-on" label={t('mailImapOn')} description={t('mailImapOnHint')} checked={imap.on} onChange={(x) => setImap((d) => ({ ...d, on: x.currentTarget.checked }))} />
          {imap.on && serverFields('imap')}
        </EnvOrField>
      </ProviderForm>
    </ProviderSection>
  );
}
