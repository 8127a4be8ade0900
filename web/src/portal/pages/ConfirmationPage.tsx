import { Button, Stack, Text, Title } from '@mantine/core';
import { useLang } from '../../shared/i18n';
import { Link } from '../../shared/router';
import { PageHeading, usePortalTitle } from '../components';
import { useT } from '../messages';
import { hoursLabel, useHotline } from '../portal-api';
import { LAST_REQUEST_KEY, type LastRequest } from '../RequestForm';

function readLast(): LastRequest | null {
  try {
    return JSON.parse(sessionStorage.getItem(LAST_REQUEST_KEY) ?? 'null') as LastRequest | null;
  } catch {
    return null;
  }
}

/** GOV.UK confirmation page: the number in large type, what happens next, how to reach us. */
export default function ConfirmationPage() {
  const t = useT();
  const lang = useLang();
  const { hours, info } = useHotline();
  const last = readLast();
  const title = last?.urgent ? t('urgentConfTitle') : t('confTitle');
  usePortalTitle(last ? title : t('confMissing'));

  if (!last) {
    return (
      <>
        <PageHeading>{t('confMissing')}</PageHeading>
        <Button component={Link} to="/mes-demandes">
          {t('homeFollow')}
        </Button>
      </>
    );
  }
  return (
    <Stack gap="xl">
      <div className="portal-panel">
        <h1 tabIndex={-1}>{title}</h1>
        <p style={{ margin: 0 }}>
          {t('confNumberLabel')}
          <strong className="portal-panel-number">{last.number}</strong>
        </p>
      </div>
      <Text size="lg" fw={700}>
        {t('confKeep')}
      </Text>
      {last.urgent && (
        <section aria-labelledby="urgent-remember" className="portal-safety">
          <Title order={2} id="urgent-remember" mb="sm">
            {t('urgentRemember')}
          </Title>
          <ol style={{ margin: 0, paddingLeft: '1.5rem' }} lang="fr">
            {(last.firstInstructions.length ? last.firstInstructions : (info?.firstInstructions ?? [])).map((i) => (
              <li key={i}>{i}</li>
            ))}
          </ol>
          <Text mt="md" fw={700}>
            {t('urgentCallback')}
          </Text>
          {hours?.open && <Text>{t('urgentOpenNow')}</Text>}
        </section>
      )}
      {last.files > 0 && <Text>{t('confFiles', { n: last.files })}</Text>}
      {last.attachError && (
        <p className="field-error" role="alert">
          {t('attachFailed', { message: last.attachError })}
        </p>
      )}
      <section aria-labelledby="next-title">
        <Title order={2} id="next-title" mb="sm">
          {t('confNextTitle')}
        </Title>
        <ol style={{ paddingLeft: '1.5rem', marginTop: 0 }}>
          <li>{last.urgent ? t('urgentCallback') : t('confNext1')}</li>
          {!last.urgent && <li>{t('confNext2')}</li>}
          <li>{t('confNext3')}</li>
        </ol>
        {hours && <Text>{t('confHours', { label: hoursLabel(hours, lang) })}</Text>}
        <Text mt="sm">{last.sentTo ? t(`confSent_${last.sentTo}`) : t('confSentNone')}</Text>
      </section>
      <div>
        <Button component={Link} to={`/mes-demandes/${encodeURIComponent(last.number)}`}>
          {t('confSee')}
        </Button>
      </div>
    </Stack>
  );
}
