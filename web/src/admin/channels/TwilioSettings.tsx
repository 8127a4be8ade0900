import { Alert, Button, Collapse, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useChannelsAdminT } from './channels-admin-messages';
import type { ChannelsStatus } from './channels-api';
import { CopyField, Env, EnvValue, InUseTable, ProviderActions, SecretField, StateBadge, useProviderForm } from './channels-kit';

/** Phone (the French voice menu, callbacks, voicemail) and SMS through Twilio: is it on, what to give Twilio, its settings. */
export function TwilioSettings({ status, onStatus }: { status: ChannelsStatus; onStatus: (s: ChannelsStatus) => void }) {
  const t = useChannelsAdminT();
  const w = status.twilio;
  const s = w.settings;
  const label: Record<string, string> = {
    TWILIO_ACCOUNT_SID: t('twSid'),
    TWILIO_AUTH_TOKEN: t('twToken'),
    TWILIO_PHONE_NUMBER: t('twNumber'),
    TWILIO_AGENT_NUMBER: t('twAgent'),
    TWILIO_API_URL: t('twApiUrl'),
  };
  const [open, setOpen] = useState(!w.configured && !w.setByEnvironment);
  const [accountSid, setAccountSid] = useState(s.accountSid.saved ?? '');
  const [phoneNumber, setPhoneNumber] = useState(s.phoneNumber.saved ?? '');
  const [agentNumber, setAgentNumber] = useState(s.agentNumber.saved ?? '');
  const [apiUrl, setApiUrl] = useState(s.apiUrl.saved ?? '');
  const [authToken, setAuthToken] = useState('');
  const [replacing, setReplacing] = useState(false);
  const form = useProviderForm('twilio', onStatus, ['accountSid', 'phoneNumber', 'agentNumber', 'apiUrl', 'authToken']);
  const err = form.fieldErrors;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const body: Record<string, string | null> = { accountSid, phoneNumber };
    if (s.agentNumber.source !== 'env') body.agentNumber = agentNumber.trim() || null;
    if (s.apiUrl.source !== 'env') body.apiUrl = apiUrl.trim() || null;
    if (authToken.trim()) body.authToken = authToken;
    void form.save(body, (next) => {
      const n = next.twilio.settings;
      setAuthToken('');
      setReplacing(false);
      setAccountSid(n.accountSid.saved ?? '');
      setPhoneNumber(n.phoneNumber.saved ?? '');
      setAgentNumber(n.agentNumber.saved ?? '');
      setApiUrl(n.apiUrl.saved ?? '');
    });
  };
  const savedAny = !!s.accountSid.saved || !!s.phoneNumber.saved || s.authToken.saved || !!s.agentNumber.saved || !!s.apiUrl.saved;

  return (
    <section aria-labelledby="ch-tw-title" className="ch-section">
      <Stack gap="md">
        <Group gap="sm">
          <Title order={2} id="ch-tw-title">
            {t('twTitle')}
          </Title>
          <StateBadge ok={w.configured} on={t('chOn')} off={t('chOff')} />
        </Group>
        <Text>{t('twIntro')}</Text>
        {!w.configured && w.missing.length > 0 && (
          <Alert color="orange" variant="light" role="note" title={t('chMissingTitle')}>
            <ul className="ch-status-list">
              {w.missing.map((v) => (
                <li key={v}>
                  {label[v] ?? v} (<Env name={v} />)
                </li>
              ))}
            </ul>
            <Text size="sm" mt="xs">
              {t('chMissingHow')}
            </Text>
          </Alert>
        )}
        {w.ignored.length > 0 && (
          <Alert color="red" variant="light" role="note" title={t('chIgnoredTitle')}>
            {w.ignored.join(' ')}
          </Alert>
        )}
        {w.configured && !w.agentNumber && <Text size="sm">{t('twNoAgent')}</Text>}

        <Title order={3} size="h4">
          {t('twGive')}
        </Title>
        <Text size="sm">{t('twGiveHint')}</Text>
        <CopyField id="ch-tw-voice" label={t('twVoiceUrl')} value={w.voiceUrl} />
        <CopyField id="ch-tw-status" label={t('twStatusUrl')} value={w.statusUrl} />
        <CopyField id="ch-tw-sms" label={t('twSmsUrl')} value={w.smsUrl} />

        <InUseTable
          caption={t('chInUseCaption', { name: t('twTitle') })}
          rows={[
            { label: label.TWILIO_ACCOUNT_SID!, value: s.accountSid.value, source: s.accountSid.source, variable: s.accountSid.variable },
            { label: label.TWILIO_AUTH_TOKEN!, value: null, secret: true, source: s.authToken.source, variable: s.authToken.variable },
            { label: label.TWILIO_PHONE_NUMBER!, value: s.phoneNumber.value, source: s.phoneNumber.source, variable: s.phoneNumber.variable },
            { label: label.TWILIO_AGENT_NUMBER!, value: s.agentNumber.value, source: s.agentNumber.source, variable: s.agentNumber.variable, optional: true },
            { label: label.TWILIO_API_URL!, value: s.apiUrl.value, source: s.apiUrl.source, variable: s.apiUrl.variable, optional: true },
          ]}
        />

        {w.setByEnvironment ? (
          <Alert color="gray" variant="light" role="note">
            {t('chSetByEnv')}
          </Alert>
        ) : (
          <>
            <Button variant="default" onClick={() => setOpen((x) => !x)} aria-expanded={open} aria-controls="ch-tw-form" style={{ alignSelf: 'flex-start' }}>
              {open ? (
                <>
                  {t('chHideForm')}
                  <span className="visually-hidden"> : {t('twTitle')}</span>
                </>
              ) : (
                t('chEditForm', { name: t('twTitle') })
              )}
            </Button>
            <Collapse expanded={open}>
              <form id="ch-tw-form" onSubmit={submit} noValidate className="ch-form">
                <Stack gap="sm">
                  <TextInput id="ch-tw-sid" label={label.TWILIO_ACCOUNT_SID} description={t('twSidHint')} value={accountSid} onChange={(e) => setAccountSid(e.currentTarget.value)} error={err.accountSid} required autoComplete="off" spellCheck={false} />
                  <SecretField id="ch-tw-token" label={label.TWILIO_AUTH_TOKEN!} description={t('twTokenHint')} view={s.authToken} value={authToken} onChange={setAuthToken} replacing={replacing} setReplacing={setReplacing} error={err.authToken} />
                  <TextInput id="ch-tw-number" label={label.TWILIO_PHONE_NUMBER} description={t('twNumberHint')} value={phoneNumber} onChange={(e) => setPhoneNumber(e.currentTarget.value)} error={err.phoneNumber} required type="tel" autoComplete="off" />
                  {s.agentNumber.source === 'env' ? (
                    <EnvValue label={label.TWILIO_AGENT_NUMBER!} variable={s.agentNumber.variable} value={s.agentNumber.value} />
                  ) : (
                    <TextInput id="ch-tw-agent" label={label.TWILIO_AGENT_NUMBER} description={t('twAgentHint')} value={agentNumber} onChange={(e) => setAgentNumber(e.currentTarget.value)} error={err.agentNumber} type="tel" autoComplete="off" />
                  )}
                  {s.apiUrl.source === 'env' ? (
                    <EnvValue label={label.TWILIO_API_URL!} variable={s.apiUrl.variable} value={s.apiUrl.value} />
                  ) : (
                    <TextInput id="ch-tw-api" label={label.TWILIO_API_URL} description={t('twApiUrlHint')} placeholder="https://api.twilio.com" value={apiUrl} onChange={(e) => setApiUrl(e.currentTarget.value)} error={err.apiUrl} autoComplete="off" />
                  )}
                  <ProviderActions name={t('twTitle')} form={form} canRemove={savedAny} changed={w.changed} />
                </Stack>
              </form>
            </Collapse>
          </>
        )}
      </Stack>
    </section>
  );
}
