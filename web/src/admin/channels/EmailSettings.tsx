import { Alert, Button, Collapse, Group, NumberInput, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useChannelsAdminT } from './channels-admin-messages';
import type { ChannelsStatus, MailServer, MailServerView } from './channels-api';
import { Env, EnvValue, InUseTable, ProviderActions, SecretField, StateBadge, useProviderForm } from './channels-kit';

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
  const [open, setOpen] = useState(!e.outbound);
  const [from, setFrom] = useState(e.from.saved ?? '');
  const [smtp, setSmtp] = useState(() => draftOf(e.smtp, 'smtp'));
  const [imap, setImap] = useState(() => draftOf(e.imapServer, 'imap'));
  const [smtpPassword, setSmtpPassword] = useState('');
  const [imapPassword, setImapPassword] = useState('');
  const [replacing, setReplacing] = useState({ smtp: false, imap: false });
  const form = useProviderForm('email', onStatus, ['from', 'smtp.host', 'smtp.port', 'smtp.user', 'smtp.password', 'imap.host', 'imap.port', 'imap.user', 'imap.password', 'imap.mailbox']);
  const err = form.fieldErrors;

  const describe = (s: MailServer | null) =>
    s ? `${s.host}:${s.port} (${t(s.security === 'tls' ? 'mailTls' : s.security === 'starttls' ? 'mailStarttls' : 'mailPlain')})${s.user ? ` — ${t('mailUserIs', { user: s.user })}` : ''}${s.mailbox ? ` — ${t('mailMailboxIs', { mailbox: s.mailbox })}` : ''}` : null;

  const submit = (ev: React.FormEvent) => {
    ev.preventDefault();
    const body: Record<string, unknown> = {};
    if (e.from.source !== 'env') body.from = from.trim() || null;
    if (e.smtp.source !== 'env') {
      body.smtp = smtp.on ? { host: smtp.host.trim(), port: Number(smtp.port) || 0, security: smtp.security, user: smtp.user.trim() || null, ...(smtpPassword ? { password: smtpPassword } : {}) } : null;
    }
    if (e.imapServer.source !== 'env') {
      body.imap = imap.on ? { host: imap.host.trim(), port: Number(imap.port) || 0, security: imap.security, user: imap.user.trim(), mailbox: imap.mailbox.trim() || null, ...(imapPassword ? { password: imapPassword } : {}) } : null;
    }
    void form.save(body, (next) => {
      setSmtpPassword('');
      setImapPassword('');
      setReplacing({ smtp: false, imap: false });
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
    const pw = kind === 'smtp' ? smtpPassword : imapPassword;
    const setPw = kind === 'smtp' ? setSmtpPassword : setImapPassword;
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
          value={pw}
          onChange={setPw}
          optional={kind === 'smtp' && !d.user.trim()}
          replacing={replacing[kind]}
          setReplacing={(v) => setReplacing((x) => ({ ...x, [kind]: v }))}
          error={err[`${kind}.password`]}
        />
        {kind === 'imap' && <TextInput id="ch-imap-mailbox" label={t('imapMailbox')} description={t('imapMailboxHint')} value={d.mailbox} onChange={(x) => set({ mailbox: x.currentTarget.value })} autoComplete="off" />}
      </Stack>
    );
  };

  return (
    <section aria-labelledby="ch-mail-title" className="ch-section">
      <Stack gap="md">
        <Group gap="sm">
          <Title order={2} id="ch-mail-title">
            {t('chEmail')}
          </Title>
          <StateBadge ok={e.outbound && receives} on={t('chOn')} off={e.outbound || receives ? t('chPartly') : t('chOff')} />
        </Group>
        <Text>{t('mailIntro')}</Text>
        {(!e.outbound || !receives) && (
          <Alert color="orange" variant="light" role="note" title={t('chMissingTitle')}>
            <ul className="ch-status-list">
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
            </ul>
            <Text size="sm" mt="xs">
              {t('chMissingHow')}
            </Text>
          </Alert>
        )}
        {e.ignored.length > 0 && (
          <Alert color="red" variant="light" role="note" title={t('chIgnoredTitle')}>
            {e.ignored.join(' ')}
          </Alert>
        )}

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
            { label: t('mailFrom'), value: e.from.value, source: e.from.source, variable: e.from.variable },
            { label: t('mailOutbound'), value: describe(e.smtp.inUse), source: e.smtp.source, variable: e.smtp.variable },
            { label: t('mailImap'), value: describe(e.imapServer.inUse), source: e.imapServer.source, variable: e.imapServer.variable, optional: true },
            { label: t('mailInbound'), value: e.inbound.port !== null ? t('mailInboundPort', { port: e.inbound.listening ?? e.inbound.port }) : null, source: e.inbound.port !== null ? 'env' : 'none', variable: 'SMTP_INBOUND_PORT', optional: true },
          ]}
        />

        <Button variant="default" onClick={() => setOpen((x) => !x)} aria-expanded={open} aria-controls="ch-mail-form" style={{ alignSelf: 'flex-start' }}>
          {open ? (
                <>
                  {t('chHideForm')}
                  <span className="visually-hidden"> : {t('chEmail')}</span>
                </>
              ) : (
                t('chEditForm', { name: t('chEmail') })
              )}
        </Button>
        <Collapse expanded={open}>
          <form id="ch-mail-form" onSubmit={submit} noValidate className="ch-form">
            <Stack gap="md">
              {e.from.source === 'env' ? (
                <EnvValue label={t('mailFrom')} variable={e.from.variable} value={e.from.value} />
              ) : (
                <TextInput id="ch-mail-from" label={t('mailFrom')} description={t('mailFromHint')} placeholder="Hotline numi <support@numi.fr>" value={from} onChange={(x) => setFrom(x.currentTarget.value)} error={err.from} autoComplete="off" />
              )}
              {e.smtp.source === 'env' ? (
                <EnvValue label={t('mailOutbound')} variable={e.smtp.variable} value={describe(e.smtp.inUse)} />
              ) : (
                <>
                  <Switch id="ch-smtp-on" label={t('mailOutboundOn')} description={t('mailOutboundOnHint')} checked={smtp.on} onChange={(x) => setSmtp((d) => ({ ...d, on: x.currentTarget.checked }))} />
                  {smtp.on && serverFields('smtp')}
                </>
              )}
              {e.imapServer.source === 'env' ? (
                <EnvValue label={t('mailImap')} variable={e.imapServer.variable} value={describe(e.imapServer.inUse)} />
              ) : (
                <>
                  <Switch id="ch-imap-on" label={t('mailImapOn')} description={t('mailImapOnHint')} checked={imap.on} onChange={(x) => setImap((d) => ({ ...d, on: x.currentTarget.checked }))} />
                  {imap.on && serverFields('imap')}
                </>
              )}
              <ProviderActions name={t('chEmail')} form={form} canRemove={savedAny} changed={e.changed} />
            </Stack>
          </form>
        </Collapse>
      </Stack>
    </section>
  );
}
