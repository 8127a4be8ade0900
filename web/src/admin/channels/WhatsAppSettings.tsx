import { Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useChannelsAdminT } from './channels-admin-messages';
import type { ChannelsStatus } from './channels-api';
import { CopyField, InUseTable, SecretField, useProviderForm } from './channels-kit';
import { EnvOrField, IgnoredAlert, inUseRow, MissingVariables, ProviderForm, ProviderSection, secretRow, useSecretDrafts } from './provider-form';

type SecretName = 'appSecret' | 'verifyToken' | 'accessToken';
const SECRETS: SecretName[] = ['appSecret', 'verifyToken', 'accessToken'];

/** WhatsApp (Meta's Cloud API): is it on, what to give Meta, and its settings. */
export function WhatsAppSettings({ status, onStatus }: { status: ChannelsStatus; onStatus: (s: ChannelsStatus) => void }) {
  const t = useChannelsAdminT();
  const w = status.whatsapp;
  const s = w.settings;
  const label: Record<string, string> = {
    WHATSAPP_PHONE_NUMBER_ID: t('waPhoneId'),
    WHATSAPP_APP_SECRET: t('waAppSecret'),
    WHATSAPP_VERIFY_TOKEN: t('waVerifyToken'),
    WHATSAPP_ACCESS_TOKEN: t('waAccessToken'),
    WHATSAPP_API_URL: t('waApiUrl'),
  };
  const [phoneNumberId, setPhoneNumberId] = useState(s.phoneNumberId.saved ?? '');
  const [apiUrl, setApiUrl] = useState(s.apiUrl.saved ?? '');
  const secrets = useSecretDrafts(SECRETS);
  const form = useProviderForm('whatsapp', onStatus, ['phoneNumberId', 'apiUrl', 'appSecret', 'verifyToken', 'accessToken']);
  const err = form.fieldErrors;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const body: Record<string, string | null> = { phoneNumberId };
    if (s.apiUrl.source !== 'env') body.apiUrl = apiUrl.trim() || null;
    for (const k of SECRETS) if (secrets.values[k].trim()) body[k] = secrets.values[k];
    void form.save(body, (next) => {
      secrets.reset();
      setPhoneNumberId(next.whatsapp.settings.phoneNumberId.saved ?? '');
      setApiUrl(next.whatsapp.settings.apiUrl.saved ?? '');
    });
  };
  const savedAny = !!s.phoneNumberId.saved || SECRETS.some((k) => s[k].saved) || !!s.apiUrl.saved;

  return (
    <ProviderSection id="ch-wa" title={t('chWhatsApp')} ok={w.configured} intro={t('waIntro')}>
      {!w.configured && <MissingVariables missing={w.missing} label={label} />}
      <IgnoredAlert ignored={w.ignored} />

      <Title order={3} size="h4">
        {t('waGiveMeta')}
      </Title>
      <CopyField id="ch-wa-webhook" label={t('waCallbackUrl')} value={w.webhookUrl} description={t('waCallbackHint')} />
      <Text size="sm">{t('waVerifyHint')}</Text>

      <InUseTable
        caption={t('chInUseCaption', { name: t('chWhatsApp') })}
        rows={[
          inUseRow(label.WHATSAPP_PHONE_NUMBER_ID!, s.phoneNumberId),
          secretRow(label.WHATSAPP_APP_SECRET!, s.appSecret),
          secretRow(label.WHATSAPP_VERIFY_TOKEN!, s.verifyToken),
          secretRow(label.WHATSAPP_ACCESS_TOKEN!, s.accessToken),
          inUseRow(label.WHATSAPP_API_URL!, s.apiUrl, true),
        ]}
      />

      <ProviderForm id="ch-wa" name={t('chWhatsApp')} initiallyOpen={!w.configured && !w.setByEnvironment} setByEnvironment={w.setByEnvironment} onSubmit={submit} form={form} canRemove={savedAny} changed={w.changed}>
        <TextInput
          id="ch-wa-phone"
          label={label.WHATSAPP_PHONE_NUMBER_ID}
          description={t('waPhoneIdHint')}
          value={phoneNumberId}
          onChange={(e) => setPhoneNumberId(e.currentTarget.value)}
          error={err.phoneNumberId}
          required
          inputMode="numeric"
          autoComplete="off"
        />
        {SECRETS.map((k) => (
          <SecretField
            key={k}
            id={`ch-wa-${k}`}
            label={label[s[k].variable]!}
            description={t(k === 'appSecret' ? 'waAppSecretHint' : k === 'verifyToken' ? 'waVerifyTokenHint' : 'waAccessTokenHint')}
            view={s[k]}
            {...secrets.field(k)}
            error={err[k]}
          />
        ))}
        <EnvOrField label={label.WHATSAPP_API_URL!} view={s.apiUrl}>
          <TextInput id="ch-wa-api" label={label.WHATSAPP_API_URL} description={t('waApiUrlHint')} placeholder="https://graph.facebook.com/v21.0" value={apiUrl} onChange={(e) => setApiUrl(e.currentTarget.value)} error={err.apiUrl} autoComplete="off" />
        </EnvOrField>
      </ProviderForm>
    </ProviderSection>
  );
}
