import '@mantine/core/styles.css';
import './console.css';
import { MantineProvider } from '@mantine/core';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { match, useLocation } from '../shared/router';
import { consoleTheme } from '../shared/theme';
import { Layout } from './Layout';
import { useT } from './messages';
import { QueuePage } from './QueuePage';
import { SessionGate } from './session';

const TicketPage = lazy(() => import('./ticket/TicketPage'));
const PhoneIntakePage = lazy(() => import('./PhoneIntakePage'));
const ProfilePage = lazy(() => import('./ProfilePage'));
const CallbacksPage = lazy(() => import('./CallbacksPage'));

function Loading() {
  const t = useT();
  return <p role="status">{t('loading')}</p>;
}

function route(pathname: string, search: URLSearchParams): ReactNode {
  if (pathname === '/console') return <QueuePage view="mes-demandes" />;
  const view = match('/console/vue/:view', pathname);
  if (view) return <QueuePage view={view.view!} />;
  if (pathname === '/console/recherche') return <QueuePage view="recherche" initialQuery={search.get('q') ?? ''} />;
  const ticket = match('/console/demandes/:ref', pathname);
  if (ticket) return <TicketPage reference={ticket.ref!} />;
  if (pathname === '/console/appel') return <PhoneIntakePage />;
  if (pathname === '/console/profil') return <ProfilePage />;
  if (pathname === '/console/rappels') return <CallbacksPage />;
  return <QueuePage view="inconnue" />;
}

/** Staff console: the console's own theme, text at the browser's size (the portal's settings stay on the portal). */
export default function ConsoleApp() {
  const { pathname, search } = useLocation();
  useEffect(() => {
    document.documentElement.dataset.area = 'console';
    return () => void delete document.documentElement.dataset.area;
  }, []);
  return (
    <MantineProvider theme={consoleTheme} forceColorScheme="light">
      <SessionGate>
        <Layout>
          <Suspense fallback={<Loading />}>{route(pathname, search)}</Suspense>
        </Layout>
      </SessionGate>
    </MantineProvider>
  );
}
