import { Alert, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useT } from '../../console/messages';
import { useConsoleTitle } from '../../console/session';
import { useErrorMessage } from '../admin-kit';
import { useChannelsAdminT } from './channels-admin-messages';
import { channelsApi, type ChannelsStatus } from './channels-api';
import { Env } from './channels-kit';
import { EmailSettings } from './EmailSettings';
import { TwilioSettings } from './TwilioSettings';
import { WhatsAppSettings } from './WhatsAppSettings';

/**
 * The channels: for email, WhatsApp, phone and SMS, whether each works, the settings in use and
 * where they come from, the addresses to give each provider, and the settings an admin may save
 * here (the server's environment variables win).
 */
export function ChannelsAdmin() {
  const t = useChannelsAdminT();
  const tc = useT();
  const messageOf = useErrorMessage();
  const [status, setStatus] = useState<ChannelsStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  useConsoleTitle(tc('adminChannels'), !!error);
  useEffect(() => {
    channelsApi.status().then(setStatus, (err) => setError(messageOf(err)));
  }, []);

  return (
    <Stack gap="xl" maw={920}>
      <Stack gap="sm">
        <Title order={1}>{tc('adminChannels')}</Title>
        <Text>{t('chIntro')}</Text>
        <Text>{t('chIntroEnv')}</Text>
        {error && (
          <Alert color="red" variant="light" role="alert">
            {error}
          </Alert>
        )}
        {!status && !error && <p role="status">{tc('loading')}</p>}
        {status && (
          <>
            <Text>
              {t('chPublicUrl')} <strong className="ch-value">{status.publicUrl.value}</strong> (<Env name="PUBLIC_URL" />)
            </Text>
            {status.publicUrl.local && (
              <Alert color="orange" variant="light" role="note" title={t('chPublicLocalTitle')}>
                {t('chPublicLocal')} <Env name="PUBLIC_URL" />
              </Alert>
            )}
            {!status.publicUrl.local && !status.publicUrl.https && (
              <Alert color="orange" variant="light" role="note">
                {t('chPublicHttp')}
              </Alert>
            )}
            <Text size="sm" c="gray.7">
              {status.secretsKey === 'env' ? t('chKeyEnv') : t('chKeyFile')} <Env name="RELAIS_SETTINGS_KEY" />
            </Text>
          </>
        )}
      </Stack>
      {status && (
        <>
          <nav aria-labelledby="ch-summary-title">
            <Text fw={600} id="ch-summary-title">
              {t('chSummary')}
            </Text>
            <ul className="ch-status-list">
              {(
                [
                  ['#ch-mail-title', t('chEmail'), status.email.outbound && (status.email.smtpInbound || status.email.imap) ? 'on' : status.email.outbound || status.email.smtpInbound || status.email.imap ? 'partly' : 'off'],
                  ['#ch-wa-title', t('chWhatsApp'), status.whatsapp.configured ? 'on' : 'off'],
                  ['#ch-tw-title', t('twTitle'), status.twilio.configured ? 'on' : 'off'],
                ] as const
              ).map(([href, name, state]) => (
                <li key={href}>
                  <a href={href}>{name}</a>
                  {t('chSummarySep')}
                  {t(state === 'on' ? 'chOn' : state === 'partly' ? 'chPartly' : 'chOff').toLowerCase()}
                </li>
              ))}
            </ul>
          </nav>
          <EmailSettings status={status} onStatus={setStatus} />
          <WhatsAppSettings status={status} onStatus={setStatus} />
          <TwilioSettings status={status} onStatus={setStatus} />
        </>
      )}
    </Stack>
  );
}
