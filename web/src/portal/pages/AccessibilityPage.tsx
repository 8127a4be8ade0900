import { Stack, Text, Title } from '@mantine/core';
import { Link } from '../../shared/router';
import { PageHeading, usePortalTitle } from '../components';
import { useT } from '../messages';
import { useHotline } from '../portal-api';

/** The "déclaration d'accessibilité" French public services publish (RGAA). */
export default function AccessibilityPage() {
  const t = useT();
  const { info } = useHotline();
  usePortalTitle(t('a11yTitle'));
  return (
    <Stack gap="lg">
      <div>
        <PageHeading>{t('a11yTitle')}</PageHeading>
        <Text>{t('a11yIntro')}</Text>
      </div>
      <section aria-labelledby="a11y-status">
        <Title order={2} id="a11y-status" mb="sm">
          {t('a11yStatusTitle')}
        </Title>
        <Text>{t('a11yStatus')}</Text>
      </section>
      <section aria-labelledby="a11y-done">
        <Title order={2} id="a11y-done" mb="sm">
          {t('a11yDoneTitle')}
        </Title>
        <ul style={{ paddingLeft: '1.25rem', margin: 0 }}>
          <li>{t('a11yDone1')}</li>
          <li>{t('a11yDone2')}</li>
          <li>{t('a11yDone3')}</li>
          <li>{t('a11yDone4')}</li>
          <li>{t('a11yDone5')}</li>
          <li>{t('a11yDone6')}</li>
        </ul>
      </section>
      <section aria-labelledby="a11y-limits">
        <Title order={2} id="a11y-limits" mb="sm">
          {t('a11yLimitsTitle')}
        </Title>
        <ul style={{ paddingLeft: '1.25rem', margin: 0 }}>
          <li>{t('a11yLimits1')}</li>
        </ul>
      </section>
      <section aria-labelledby="a11y-contact">
        <Title order={2} id="a11y-contact" mb="sm">
          {t('a11yContactTitle')}
        </Title>
        <Text mb="xs">{t('a11yContact')}</Text>
        <ul style={{ paddingLeft: '1.25rem', margin: 0 }}>
          {info?.hotlinePhone && <li>{t('a11yContactPhone', { phone: info.hotlinePhone })}</li>}
          <li>
            <Link to="/demande">{t('a11yContactForm')}</Link>
          </li>
        </ul>
      </section>
      <section aria-labelledby="a11y-recourse">
        <Title order={2} id="a11y-recourse" mb="sm">
          {t('a11yRecourseTitle')}
        </Title>
        <Text>{t('a11yRecourse')}</Text>
      </section>
      <Text>{t('a11yDate')}</Text>
    </Stack>
  );
}
