import { Button, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Icon, type IconName } from '../../shared/icons';
import { useLang } from '../../shared/i18n';
import { Link } from '../../shared/router';
import { PageHeading, usePortalTitle } from '../components';
import { usePortalChannelsT } from '../channels-messages';
import { useT } from '../messages';
import { HelpSearchForm } from '../HelpSearchForm';
import { hoursLabel, useHotline, type HoursStatus } from '../portal-api';

/** "09:00" as a French person says it: "9 h" ("12 h 30"); English keeps 09:00. */
function clockOf(hhmm: string, lang: string): string {
  const [h, m] = hhmm.split(':');
  if (lang !== 'fr' || !h || !m) return hhmm;
  return `${Number(h)}\u00a0h${m === '00' ? '' : `\u00a0${m}`}`;
}

export function TodayHours({ hours }: { hours: HoursStatus }) {
  const t = useT();
  const lang = useLang();
  if (!hours.todaySlots.length) return <Text>{t('todayClosed')}</Text>;
  const slots = hours.todaySlots.map((s) => t('slot', { start: clockOf(s.start, lang), end: clockOf(s.end, lang) })).join(t('slotJoin'));
  return <Text>{t('todaySlots', { slots })}</Text>;
}

function Channel({ icon, title, text, children }: { icon: IconName; title: string; text: string; children?: React.ReactNode }) {
  return (
    <div className="portal-card">
      <h3 className="portal-icon-row" style={{ margin: '0 0 0.5rem' }}>
        <Icon name={icon} />
        {title}
      </h3>
      <Text>{text}</Text>
      {children}
    </div>
  );
}

export function HomePage() {
  const t = useT();
  const lang = useLang();
  const { info, hours } = useHotline();
  const c = usePortalChannelsT();
  usePortalTitle(t('navHome'));
  const tel = info?.hotlinePhone?.replace(/[^\d+]/g, '');
  const wa = info?.whatsappNumber?.replace(/[^\d]/g, '');

  return (
    <Stack gap="xl">
      <section aria-labelledby="home-title">
        <PageHeading>
          <span id="home-title">{t('homeTitle')}</span>
        </PageHeading>
        <Text size="lg" mb="lg">
          {t('homeIntro')}
        </Text>
        <Group gap="md" mb="lg">
          <Button component={Link} to="/demande">
            {t('homeStart')}
          </Button>
          <Button component={Link} to="/mes-demandes" variant="outline">
            {t('homeFollow')}
          </Button>
          <Button component={Link} to="/rappel" variant="outline">
            {c('cbNav')}
          </Button>
        </Group>
        <Link to="/urgence" className="portal-urgent-link">
          <Icon name="alert" size={32} />
          {t('urgentButton')}
        </Link>
      </section>

      <section aria-labelledby="home-help-title">
        <Title order={2} id="home-help-title" mb="xs">
          {t('homeHelpTitle')}
        </Title>
        <Text mb="sm">{t('homeHelpText')}</Text>
        <HelpSearchForm id="home-help-q" />
      </section>

      <section aria-labelledby="steps-title">
        <Title order={2} id="steps-title" mb="md">
          {t('stepsTitle')}
        </Title>
        <ol className="portal-steps">
          {([1, 2, 3, 4] as const).map((n) => (
            <li key={n}>
              <h3>{t(`step${n}`)}</h3>
              <p>{t(`step${n}Text`)}</p>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="channels-title">
        <Title order={2} id="channels-title" mb="md">
          {t('channelsTitle')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          {info?.hotlinePhone && (
            <Channel icon="phone" title={t('channelPhone')} text={t('channelPhoneText')}>
              <Text fw={700} mt="xs">
                <a href={`tel:${tel}`}>{info.hotlinePhone}</a>
              </Text>
            </Channel>
          )}
          {info?.whatsappNumber && (
            <Channel icon="chat" title={t('channelWhatsapp')} text={t('channelWhatsappText')}>
              <Text fw={700} mt="xs">
                <a href={`https://wa.me/${wa}`}>{info.whatsappNumber}</a>
              </Text>
            </Channel>
          )}
          <Channel icon="globe" title={t('channelWeb')} text={t('channelWebText')}>
            <Text mt="xs">
              <Link to="/demande">{t('homeStart')}</Link>
            </Text>
          </Channel>
        </SimpleGrid>
        {hours && (
          <div className="portal-card" style={{ marginTop: '1rem' }}>
            <h3 className="portal-icon-row" style={{ margin: '0 0 0.5rem' }}>
              <Icon name="clock" />
              {t('hoursTitle')}
            </h3>
            <Text fw={700}>{hoursLabel(hours, lang)}</Text>
            <TodayHours hours={hours} />
          </div>
        )}
      </section>

      <section aria-labelledby="who-title">
        <Title order={2} id="who-title" mb="md">
          {t('whoTitle')}
        </Title>
        <Stack gap="sm">
          <p className="portal-icon-row" style={{ margin: 0 }}>
            <Icon name="person" />
            {t('who1')}
          </p>
          <p className="portal-icon-row" style={{ margin: 0 }}>
            <Icon name="laptop" />
            {t('who2')}
          </p>
          <p className="portal-icon-row" style={{ margin: 0 }}>
            <Icon name="shield" />
            {t('who3')}
          </p>
        </Stack>
      </section>

      <section aria-labelledby="safety-title" className="portal-safety">
        <Title order={2} id="safety-title" mb="sm" className="portal-icon-row">
          <Icon name="lock" />
          {t('safetyTitle')}
        </Title>
        <ul style={{ margin: 0, paddingLeft: '1.25rem' }}>
          <li>
            <strong>{t('never')}</strong>
          </li>
          <li>{t('safetyNumber')}</li>
          <li>{t('safetyCode')}</li>
          <li>{t('safetyDoubt')}</li>
        </ul>
        <p style={{ marginBottom: 0 }}>
          <Link to="/se-proteger">{t('helpMore')}</Link>
        </p>
      </section>
    </Stack>
  );
}
