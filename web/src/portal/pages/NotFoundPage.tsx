import { Text } from '@mantine/core';
import { Link } from '../../shared/router';
import { PageHeading, usePortalTitle } from '../components';
import { useT } from '../messages';

export function NotFoundPage() {
  const t = useT();
  usePortalTitle(t('notFoundTitle'));
  return (
    <>
      <PageHeading>{t('notFoundTitle')}</PageHeading>
      <Text mb="md">{t('notFoundText')}</Text>
      <Link to="/">{t('navHome')}</Link>
    </>
  );
}
