import '@mantine/core/styles.css';
import '../console/console.css';
import { Alert, MantineProvider, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useLocation } from '../shared/router';
import { consoleTheme } from '../shared/theme';
import { Layout } from '../console/Layout';
import { useT } from '../console/messages';
import { can, SessionGate, useConsoleTitle, useSession } from '../console/session';
import { channelsAdminRoute } from './channels/channels-admin-routes';
import { HoursAdmin } from './HoursAdmin';
import { InstructionsAdmin } from './InstructionsAdmin';
import { knowledgeRoute } from './knowledge/knowledge-routes';
import { QueuesAdmin } from './QueuesAdmin';
import { SlaAdmin } from './SlaAdmin';
import { StaffAdmin } from './StaffAdmin';

function route(pathname: string): ReactNode {
  switch (pathname) {
    case '/admin':
    case '/admin/personnel':
      return <StaffAdmin />;
    case '/admin/files':
      return <QueuesAdmin />;
    case '/admin/horaires':
      return <HoursAdmin />;
    case '/admin/delais':
      return <SlaAdmin />;
    case '/admin/premieres-consignes':
      return <InstructionsAdmin />;
    default:
      return channelsAdminRoute(pathname);
  }
}

function AdminRoutes() {
  const t = useT();
  const { me } = useSession();
  const { pathname } = useLocation();
  const page = route(pathname);
  useConsoleTitle(t('adminSite'));
  const knowledge = can.editKnowledge(me) ? knowledgeRoute(!can.administer(me) && pathname === '/admin' ? '/admin/procedures' : pathname) : null;
  if (knowledge) return knowledge;
  if (!can.administer(me)) {
    return (
      <>
        <Title order={1} mb="md">
          {t('adminSite')}
        </Title>
        <Alert color="orange" variant="light" role="alert">
          {t('adminOnly')} <Link to="/console">{t('goConsole')}</Link>
        </Alert>
      </>
    );
  }
  if (!page) {
    return (
      <>
        <Title order={1}>{t('notFound')}</Title>
        <Link to="/admin">{t('adminStaff')}</Link>
      </>
    );
  }
  return page;
}

/** Settings of the hotline: staff, queues, opening hours, SLA targets, the red button's checklist. */
export default function AdminApp() {
  return (
    <MantineProvider theme={consoleTheme} forceColorScheme="light">
      <SessionGate>
        <Layout area="admin">
          <AdminRoutes />
        </Layout>
      </SessionGate>
    </MantineProvider>
  );
}
