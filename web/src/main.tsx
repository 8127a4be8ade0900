import { StrictMode, Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import './shared/global.css';
import { defineMessages } from './shared/i18n';
import { useLocation } from './shared/router';
import { PortalApp } from './portal/PortalApp';

const { useT } = defineMessages({ loading: 'Chargement…' }, { loading: 'Loading…' });

// The console and the admin are separate chunks: the portal's first load never includes them.
const ConsoleApp = lazy(() => import('./console/ConsoleApp'));
const AdminApp = lazy(() => import('./admin/AdminApp'));

function Root() {
  const t = useT();
  const { pathname } = useLocation();
  const area = pathname === '/console' || pathname.startsWith('/console/') ? 'console' : pathname === '/admin' || pathname.startsWith('/admin/') ? 'admin' : 'portal';
  if (area === 'portal') return <PortalApp />;
  return (
    <Suspense fallback={<p role="status" style={{ padding: '1rem', fontFamily: 'system-ui, sans-serif' }}>{t('loading')}</p>}>
      {area === 'console' ? <ConsoleApp /> : <AdminApp />}
    </Suspense>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
