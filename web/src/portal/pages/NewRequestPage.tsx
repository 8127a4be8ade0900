import { Text } from '@mantine/core';
import { PageHeading } from '../components';
import { useT } from '../messages';
import { RequestForm } from '../RequestForm';

export default function NewRequestPage() {
  const t = useT();
  return (
    <>
      <PageHeading>{t('newTitle')}</PageHeading>
      <Text size="lg" mb="xl">
        {t('newIntro')}
      </Text>
      <RequestForm urgent={false} title={t('newTitle')} />
    </>
  );
}
