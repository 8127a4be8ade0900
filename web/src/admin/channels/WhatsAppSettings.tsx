import { Alert, Button, Collapse, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useChannelsAdminT } from './channels-admin-messages';
import type { ChannelsStatus } from './channels-api';
import { CopyField, Env, EnvValue, InUseTable, ProviderActions, SecretField, StateBadge, useProviderForm } from './channels-kit';

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
  const [open, setOpen] = useState(!w.configured && !w.setByEnvironment);
  const [phoneNumberId, setPhoneNumberId] = useState(s.phoneNumberId.saved ?? '');
  const [apiUrl, setApiUrl] = useState(s.apiUrl.saved ?? '');
  const [secrets, setSecrets] = useState<Record<SecretName, string>>({ appSecret: '', verifyToken: '', accessToken: '' });
  const [replacing, setReplacing] = useState<Record<SecretName, boolean>>({ appSecret: false, verifyToken: false, accessToken: false });
  const form = useProviderForm('whatsapp', onStatus, ['phoneNumberId', 'apiUrl', 'appSecret', 'verifyToken', 'accessToken']);
  const err = form.fieldErrors;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const body: Record<string, string | null> = { phoneNumberId };
    if (s.apiUrl.source !== 'env') body.apiUrl = apiUrl.trim() || null;
    for (const k of SECRETS) if (secrets[k].trim()) body[k] = secrets[k];
    void form.save(body, (next) => {
      setSecrets({ appSecret: '', verifyToken: '', accessToken: '' });
      setReplacing({ appSecret: false, verifyToken: false, accessToken: false });
      setPhoneNumberId(next.whatsapp.settings.phoneNumberId.saved ?? '');
      setApiUrl(next.whatsapp.settings.apiUrl.saved ?? '');
    });
  };
  const savedAny = !!s.phoneNumberId.saved || SECRETS.some((k) => s[k].saved) || !!s.apiUrl.saved;

  return (
    <section aria-labelledby="ch-wa-title" className="ch-section">
      <Stack gap="md">
        <Group gap="sm">
          <Title order={2} id="ch-wa-title">
            {t('chWhatsApp')}
          </Title>
          <StateBadge ok={w.configured} on={t('chOn')} off={t('chOff')} />
        </Group>
        <Text>{t('waIntro')}</Text>
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

        <Title order={3} size="h4">
          {t('waGiveMeta')}
        </Title>
        <CopyField id="ch-wa-webhook" label={t('waCallbackUrl')} value={w.webhookUrl} description={t('waCallbackHint')} />
        <Text size="sm">{t('waVerifyHint')}</Text>

        <InUseTable
          caption={t('chInUseCaption', { name: t('chWhatsApp') })}
          rows={[
            { label: label.WHATSAPP_PHONE_NUMBER_ID!, value: s.phoneNumberId.value, source: s.phoneNumberId.source, variable: s.phoneNumberId.variable },
            { label: label.WHATSAPP_APP_SECRET!, value: null, secret: true, source: s.appSecret.source, variable: s.appSecret.variable },
            { label: label.WHATSAPP_VERIFY_TOKEN!, value: null, secret: true, source: s.verifyToken.source, variable: s.verifyToken.variable },
            { label: label.WHATSAPP_ACCESS_TOKEN!, value: null, secret: true, source: s.accessToken.source, variable: s.accessToken.variable },
            { label: label.WHATSAPP_API_URL!, value: s.apiUrl.value, source: s.apiUrl.source, variable: s.apiUrl.variable, optional: true },
          ]}
        />

        {w.setByEnvironment ? (
          <Alert color="gray" variant="light" role="note">
            {t('chSetByEnv')}
          </Alert>
        ) : (
          <>
            <Button variant="default" onClick={() => setOpen((x) => !x)} aria-expanded={open} aria-controls="ch-wa-form" style={{ alignSelf: 'flex-start' }}>
              {open ? (
                <>
                  {t('chHideForm')}
                  <span className="visually-hidden"> : {t('chWhatsApp')}</span>
                </>
              ) : (
                t('chEditForm', { name: t('chWhatsApp') })
              )}
            </Button>
            <Collapse expanded={open}>
              <form id="ch-wa-form" onSubmit={submit} noValidate className="ch-form">
                <Stack gap="sm">
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
                      value={secrets[k]}
                      onChange={(v) => setSecrets((x) => ({ ...x, [k]: v }))}
                      replacing={replacing[k]}
                      setReplacing={(v) => setReplacing((x) => ({ ...x, [k]: v }))}
                      error={err[k]}
                    />
                  ))}
                  {s.apiUrl.source === 'env' ? (
                    <EnvValue label={label.WHATSAPP_API_URL!} variable={s.apiUrl.variable} value={s.apiUrl.value} />
                  ) : (
                    <TextInput id="ch-wa-api" label={label.WHATSAPP_API_URL} description={t('waApiUrlHint')} placeholder="https://graph.facebook.com/v21.0" value={apiUrl} onChange={(e) => setApiUrl(e.currentTarget.value)} error={err.apiUrl} autoComplete="off" />
                  )}
                  <ProviderActions name={t('chWhatsApp')} form={form} canRemove={savedAny} changed={w.changed} />
                </Stack>
              </form>
            </Collapse>
          </>
        )}
      </Stack>
    </section>
  );
}
