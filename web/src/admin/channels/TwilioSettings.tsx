import { Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useChannelsAdminT } from './channels-admin-messages';
import type { ChannelsStatus } from './channels-api';
import { CopyField, InUseTable, SecretField, useProviderForm } from './channels-kit';
import { EnvOrField, IgnoredAlert, inUseRow, MissingVariables, ProviderForm, ProviderSection, secretRow, useSecretDrafts } from './provider-form';

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
  const [accountSid, setAccountSid] = useState(s.accountSid.saved ?? '');
  const [phoneNumber, setPhoneNumber] = useState(s.phoneNumber.saved ?? '');
  const [agentNumber, setAgentNumber] = useState(s.agentNumber.saved ?? '');
  const [apiUrl, setApiUrl] = useState(s.apiUrl.saved ?? '');
  const secrets = useSecretDrafts(['authToken']);
  const form = useProviderForm('twilio', onStatus, ['accountSid', 'phoneNumber', 'agentNumber', 'apiUrl', 'authToken']);
  const err = form.fieldErrors;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const body: Record<string, string | null> = { accountSid, phoneNumber };
    if (s.agentNumber.source !== 'env') body.agentNumber = agentNumber.trim() || null;
    if (s.apiUrl.source !== 'env') body.apiUrl = apiUrl.trim() || null;
    if (secrets.values.authToken.trim()) body.authToken = secrets.values.authToken;
    void form.save(body, (next) => {
      const n = next.twilio.settings;
      secrets.reset();
      setAccountSid(n.accountSid.saved ?? '');
      setPhoneNumber(n.phoneNumber.saved ?? '');
      setAgentNumber(n.agentNumber.saved ?? '');
      setApiUrl(n.apiUrl.saved ?? '');
    });
  };
  const savedAny = !!s.accountSid.saved || !!s.phoneNumber.saved || s.authToken.saved || !!s.agentNumber.saved || !!s.apiUrl.saved;

  return (
    <ProviderSection id="ch-tw" title={t('twTitle')} ok={w.configured} intro={t('twIntro')}>
      {!w.configured && <MissingVariables missing={w.missing} label={label} />}
      <IgnoredAlert ignored={w.ignored} />
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
          inUseRow(label.TWILIO_ACCOUNT_SID!, s.accountSid),
          secretRow(label.TWILIO_AUTH_TOKEN!, s.authToken),
          inUseRow(label.TWILIO_PHONE_NUMBER!, s.phoneNumber),
          inUseRow(label.TWILIO_AGENT_NUMBER!, s.agentNumber, true),
          inUseRow(label.TWILIO_API_URL!, s.apiUrl, true),
        ]}
      />

      <ProviderForm id="ch-tw" name={t('twTitle')} initiallyOpen={!w.configured && !w.setByEnvironment} setByEnvironment={w.setByEnvironment} onSubmit={submit} form={form} canRemove={savedAny} changed={w.changed}>
        <TextInput id="ch-tw-sid" label={label.TWILIO_ACCOUNT_SID} description={t('twSidHint')} value={accountSid} onChange={(e) => setAccountSid(e.currentTarget.value)} error={err.accountSid} required autoComplete="off" spellCheck={false} />
        <SecretField id="ch-tw-token" label={label.TWILIO_AUTH_TOKEN!} description={t('twTokenHint')} view={s.authToken} {...secrets.field('authToken')} error={err.authToken} />
        <TextInput id="ch-tw-number" label={label.TWILIO_PHONE_NUMBER} description={t('twNumberHint')} value={phoneNumber} onChange={(e) => setPhoneNumber(e.currentTarget.value)} error={err.phoneNumber} required type="tel" autoComplete="off" />
        <EnvOrField label={label.TWILIO_AGENT_NUMBER!} view={s.agentNumber}>
          <TextInput id="ch-tw-agent" label={label.TWILIO_AGENT_NUMBER} description={t('twAgentHint')} value={agentNumber} onChange={(e) => setAgentNumber(e.currentTarget.value)} error={err.agentNumber} type="tel" autoComplete="off" />
        </EnvOrField>
        <EnvOrField label={label.TWILIO_API_URL!} view={s.apiUrl}>
          <TextInput id="ch-tw-api" label={label.TWILIO_API_URL} description={t('twApiUrlHint')} placeholder="https://api.twilio.com" value={apiUrl} onChange={(e) => setApiUrl(e.currentTarget.value)} error={err.apiUrl} autoComplete="off" />
        </EnvOrField>
      </ProviderForm>
    </ProviderSection>
  );
}
