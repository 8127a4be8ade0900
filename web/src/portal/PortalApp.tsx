import '@mantine/core/styles/baseline.css';
import '@mantine/core/styles/default-css-variables.css';
import '@mantine/core/styles/global.css';
import '@mantine/core/styles/UnstyledButton.css';
import '@mantine/core/styles/Button.css';
import '@mantine/core/styles/Container.css';
import '@mantine/core/styles/Title.css';
import '@mantine/core/styles/Text.css';
import '@mantine/core/styles/Paper.css';
import '@mantine/core/styles/Group.css';
import '@mantine/core/styles/Stack.css';
import '@mantine/core/styles/SimpleGrid.css';
import '@mantine/core/styles/Alert.css';
import '@mantine/core/styles/Input.css';
import '@mantine/core/styles/InlineInput.css';
import '@mantine/core/styles/Radio.css';
import '@mantine/core/styles/Anchor.css';
import '@mantine/core/styles/List.css';
import '@mantine/core/styles/Loader.css';
import '@mantine/core/styles/Badge.css';
import './portal.css';
import { Container, MantineProvider } from '@mantine/core';
import { lazy, Suspense, useEffect, useMemo, type ReactNode } from 'react';
import { Icon } from '../shared/icons';
import { setLang, useLang, type Lang } from '../shared/i18n';
import { useFocusOnNavigate } from '../shared/page';
import { applyPrefs, setPrefs, usePrefs } from '../shared/prefs';
import { Link, match, useLocation } from '../shared/router';
import { portalTheme } from '../shared/theme';
import { usePortalChannelsT } from './channels-messages';
import { useT } from './messages';
import { hoursLabel, useHotline } from './portal-api';
import { HomePage } from './pages/HomePage';
import { NotFoundPage } from './pages/NotFoundPage';

// Pages a first visit rarely needs are fetched when opened.
const NewRequestPage = lazy(() => import('./pages/NewRequestPage'));
const ConfirmationPage = lazy(() => import('./pages/ConfirmationPage'));
const UrgentPage = lazy(() => import('./pages/UrgentPage'));
const MyRequestsPage = lazy(() => import('./pages/MyRequestsPage'));
const RequestPage = lazy(() => import('./pages/RequestPage'));
const HelpCentrePage = lazy(() => import('./pages/HelpCentrePage'));
const ArticlePage = lazy(() => import('./pages/ArticlePage'));
const SafetyPage = lazy(() => import('./pages/SafetyPage'));
const AccessibilityPage = lazy(() => import('./pages/AccessibilityPage'));
const CallbackPage = lazy(() => import('./pages/CallbackPage'));
const RatingLinkPage = lazy(() => import('./pages/RatingLinkPage'));

function route(pathname: string): ReactNode {
  if (pathname === '/') return <HomePage />;
  if (pathname === '/demande') return <NewRequestPage />;
  if (pathname === '/demande/confirmation') return <ConfirmationPage />;
  if (pathname === '/urgence') return <UrgentPage />;
  if (pathname === '/mes-demandes') return <MyRequestsPage />;
  const req = match('/mes-demandes/:number', pathname);
  if (req) return <RequestPage number={req.number!} />;
  if (pathname === '/aide') return <HelpCentrePage />;
  const article = match('/aide/:slug', pathname);
  if (article) return <ArticlePage key={article.slug} slug={article.slug!} />;
  if (pathname === '/se-proteger') return <SafetyPage />;
  if (pathname === '/accessibilite') return <AccessibilityPage />;
  if (pathname === '/rappel') return <CallbackPage />;
  if (pathname === '/avis') return <RatingLinkPage />;
  return <NotFoundPage />;
}

export function PortalApp() {
  const { pathname } = useLocation();
  const prefs = usePrefs();
  const theme = useMemo(() => portalTheme(prefs.highContrast), [prefs.highContrast]);
  useFocusOnNavigate(pathname);
  useEffect(() => {
    applyPrefs(true);
    return () => applyPrefs(false);
  }, []);
  return (
    <MantineProvider theme={theme} forceColorScheme="light">
      <div className="portal">
        <PortalHeader pathname={pathname} />
        <main id="contenu" tabIndex={-1} data-focus-target>
          <Container size="md" py="xl" px="md">
            <Suspense fallback={<Loading />}>{route(pathname)}</Suspense>
          </Container>
        </main>
        <PortalFooter />
      </div>
    </MantineProvider>
  );
}

export function Loading() {
  const t = useT();
  return (
    <p role="status" className="portal-loading">
      {t('loading')}
    </p>
  );
}

function HotlineBar() {
  const t = useT();
  const lang = useLang();
  const { info, hours } = useHotline();
  return (
    <div className="portal-hotline">
      {info?.hotlinePhone && (
        <a className="portal-hotline-phone" href={`tel:${info.hotlinePhone.replace(/[^\d+]/g, '')}`}>
          <Icon name="phone" size={24} />
          <span>{t('phoneLabel', { phone: info.hotlinePhone })}</span>
        </a>
      )}
      <span className="portal-hotline-hours" data-open={hours?.open ? 'true' : 'false'}>
        <Icon name="clock" size={24} />
        <span>{hours ? hoursLabel(hours, lang) : t('hoursUnknown')}</span>
      </span>
    </div>
  );
}

function DisplaySettings() {
  const t = useT();
  const prefs = usePrefs();
  const other = t('otherLangCode') as Lang;
  return (
    <div className="portal-display" role="group" aria-label={t('displayLabel')}>
      <button type="button" className="portal-toggle" aria-pressed={prefs.largeText} onClick={() => setPrefs({ largeText: !prefs.largeText })}>
        <span aria-hidden="true" className="portal-toggle-mark">
          A<span style={{ fontSize: '1.3em' }}>A</span>
        </span>
        {t('largeText')}
      </button>
      <button type="button" className="portal-toggle" aria-pressed={prefs.highContrast} onClick={() => setPrefs({ highContrast: !prefs.highContrast })}>
        <span aria-hidden="true" className="portal-toggle-mark portal-contrast-mark" />
        {t('highContrast')}
      </button>
      <button type="button" className="portal-toggle" lang={other} onClick={() => setLang(other)} aria-label={t('otherLangLabel')}>
        {t('otherLang')}
      </button>
    </div>
  );
}

function PortalHeader({ pathname }: { pathname: string }) {
  const t = useT();
  const items: { to: string; label: string; active: boolean }[] = [
    { to: '/', label: t('navHome'), active: pathname === '/' },
    { to: '/demande', label: t('navNew'), active: pathname.startsWith('/demande') },
    { to: '/mes-demandes', label: t('navMine'), active: pathname.startsWith('/mes-demandes') },
    { to: '/aide', label: t('navHelp'), active: pathname === '/aide' || pathname.startsWith('/aide/') },
  ];
  return (
    <header className="portal-header">
      <a className="skip-link" href="#contenu">
        {t('skip')}
      </a>
      <div className="portal-topbar">
        <Container size="md" px="md" className="portal-topbar-inner">
          <HotlineBar />
          <DisplaySettings />
        </Container>
      </div>
      <Container size="md" px="md" className="portal-brandbar">
        <Link to="/" className="portal-brand">
          <svg width="40" height="40" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
            <rect width="32" height="32" rx="7" fill="currentColor" />
            <path d="M9 22V10h7a4 4 0 0 1 0 8h-7m6 0 5 4" fill="none" stroke="#fff" strokeWidth="3" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <span>
            <span className="portal-brand-name">{t('site')}</span>
            <span className="portal-brand-tagline">{t('tagline')}</span>
            <span className="visually-hidden"> — {t('navHome')}</span>
          </span>
        </Link>
        <nav aria-label={t('navLabel')}>
          <ul className="portal-nav">
            {items.map((i) => (
              <li key={i.to}>
                <Link to={i.to} aria-current={i.active ? 'page' : undefined}>
                  {i.label}
                </Link>
              </li>
            ))}
            <li>
              <Link to="/urgence" className="portal-nav-urgent" aria-current={pathname === '/urgence' ? 'page' : undefined}>
                <Icon name="alert" size={22} />
                {t('navUrgent')}
              </Link>
            </li>
          </ul>
        </nav>
      </Container>
    </header>
  );
}

function PortalFooter() {
  const t = useT();
  const c = usePortalChannelsT();
  const { info, hours } = useHotline();
  const lang = useLang();
  return (
    <footer className="portal-footer">
      <Container size="md" px="md">
        <p className="portal-footer-never">
          <Icon name="shield" size={26} />
          <span>{t('never')}</span>
        </p>
        <div className="portal-footer-contact">
          {info?.hotlinePhone && <p>{t('callUs', { phone: info.hotlinePhone })}</p>}
          <p>
            <Link to="/rappel">{c('cbLink')}</Link>
          </p>
          {hours && <p>{hoursLabel(hours, lang)}</p>}
        </div>
        <nav aria-label={t('footerLabel')}>
          <ul className="portal-footer-links">
            <li>
              <Link to="/accessibilite">{t('footerAccessibility')}</Link>
            </li>
            <li>
              <Link to="/se-proteger">{t('footerHelp')}</Link>
            </li>
            <li>
              <Link to="/console">{t('footerStaff')}</Link>
            </li>
          </ul>
        </nav>
      </Container>
    </footer>
  );
}
