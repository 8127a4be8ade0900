import { Button, Stack, Text, Title } from '@mantine/core';
import { Icon } from '../../shared/icons';
import { useLang } from '../../shared/i18n';
import { PageHeading } from '../components';
import { useT } from '../messages';
import { hoursLabel, useHotline } from '../portal-api';
import { RequestForm } from '../RequestForm';

/** First instructions to follow at once; the server's list (set by the admin) when it answers. */
/** Text that comes from the server (the admins' list, status labels) is French. */
export const serverLang = (fromServer: unknown) => (fromServer ? 'fr' : undefined);

export function useFirstInstructions(): string[] {
  const t = useT();
  const { info, loaded } = useHotline();
  if (info?.firstInstructions.length) return info.firstInstructions;
  return loaded ? [t('urgentFallback1'), t('urgentFallback2'), t('urgentFallback3')] : [];
}

/**
 * "Je pense être victime d'un piratage ou d'une arnaque": what to do now comes first,
 * then the request, flagged for an adviser to confirm the emergency.
 */
export default function UrgentPage() {
  const t = useT();
  const lang = useLang();
  const { info, hours } = useHotline();
  const instructions = useFirstInstructions();
  const closed = hours ? !hours.open : false;
  return (
    <Stack gap="xl">
      <section aria-labelledby="urgent-steps">
        <PageHeading>{t('urgentTitle')}</PageHeading>
        <Text size="lg" fw={700} id="urgent-steps" mb="sm">
          {t('urgentIntro')}
        </Text>
        {/* Written by the hotline's admins, in French: marked so a screen reader reads it as French. */}
        <ol className="portal-steps" style={{ gridTemplateColumns: '1fr' }} lang={serverLang(info)}>
          {instructions.map((i) => (
            <li key={i}>
              <p>{i}</p>
            </li>
          ))}
        </ol>
      </section>
      {info?.hotlinePhone && (
        <section aria-labelledby="urgent-call" className="portal-card">
          <Title order={2} id="urgent-call" mb="sm">
            {closed ? t('urgentCallClosed') : t('urgentCallNow')}
          </Title>
          <Button component="a" href={`tel:${info.hotlinePhone.replace(/[^\d+]/g, '')}`} color="red" leftSection={<Icon name="phone" />}>
            {info.hotlinePhone}
          </Button>
          {hours && <Text mt="sm">{hoursLabel(hours, lang)}</Text>}
          {/* Never a dead end at night: someone official answers meanwhile. */}
          {closed && <Text mt="sm">{t('urgentClosedHelp')}</Text>}
        </section>
      )}
      <section aria-labelledby="urgent-form">
        <Title order={2} id="urgent-form" mb="xs">
          {t('urgentFormTitle')}
        </Title>
        <Text mb="lg">{closed ? t('urgentThenClosed') : t('urgentThen')}</Text>
        <RequestForm urgent title={t('urgentTitle')} />
      </section>
    </Stack>
  );
}
