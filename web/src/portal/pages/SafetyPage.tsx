import { Stack, Text, Title } from '@mantine/core';
import { Icon } from '../../shared/icons';
import { Link } from '../../shared/router';
import { PageHeading, usePortalTitle } from '../components';
import { useT } from '../messages';

export default function SafetyPage() {
  const t = useT();
  usePortalTitle(t('helpTitle'));
  return (
    <Stack gap="lg">
      <div>
        <PageHeading>{t('helpTitle')}</PageHeading>
        <Text size="lg">{t('helpIntro')}</Text>
      </div>
      <section aria-labelledby="never-title" className="portal-safety">
        <Title order={2} id="never-title" mb="sm">
          {t('helpNeverTitle')}
        </Title>
        <ul style={{ margin: 0, paddingLeft: '1.25rem' }}>
          <li>{t('helpNever1')}</li>
          <li>{t('helpNever2')}</li>
          <li>{t('helpNever3')}</li>
        </ul>
      </section>
      <section aria-labelledby="check-title">
        <Title order={2} id="check-title" mb="sm">
          {t('helpCheckTitle')}
        </Title>
        <ol style={{ paddingLeft: '1.5rem' }}>
          <li>{t('helpCheck1')}</li>
          <li>{t('helpCheck2')}</li>
          <li>{t('helpCheck3')}</li>
        </ol>
      </section>
      <section aria-labelledby="victim-title">
        <Title order={2} id="victim-title" mb="sm">
          {t('helpVictim')}
        </Title>
        <Link to="/urgence" className="portal-urgent-link">
          <Icon name="alert" size={32} />
          {t('urgentButton')}
        </Link>
      </section>
    </Stack>
  );
}
