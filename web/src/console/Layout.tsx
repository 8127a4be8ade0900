import { Alert, AppShell, Badge, Burger, Button, CloseButton, Group, Menu, NavLink, Stack, Switch, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ACTIVE_STATUSES } from '../../../common/src/tickets';
import { api, query } from '../shared/api';
import { setLang, useLang } from '../shared/i18n';
import { useFocusOnNavigate } from '../shared/page';
import { Link, navigate, useLocation } from '../shared/router';
import { useMyCallbackCount } from './callbacks-count';
import { usePossibleEmergencyCount } from './possible-emergencies';
import { useChannelsT } from './channels-messages';
import { IncomingCalls } from './IncomingCalls';
import { useLabels } from './labels';
import { useT } from './messages';
import { debounce, useLinkState, useRealtime } from './realtime';
import { can, useSession } from './session';
import { ShortcutsDialog, useShortcuts } from './shortcuts';
import type { StaffNotification, Ticket } from './types';

export interface ViewDef {
  slug: string;
  label: 'viewMine' | 'viewLevel' | 'viewUnassigned' | 'viewWaiting' | 'viewEmergencies' | 'viewSla' | 'viewPossible';
}
export const VIEWS: ViewDef[] = [
  { slug: 'mes-demandes', label: 'viewMine' },
  { slug: 'mon-niveau', label: 'viewLevel' },
  { slug: 'non-attribuees', label: 'viewUnassigned' },
  { slug: 'en-attente', label: 'viewWaiting' },
  { slug: 'urgences', label: 'viewEmergencies' },
  { slug: 'delais', label: 'viewSla' },
  // Last, so that the number keys of the others stay as they were.
  { slug: 'urgences-possibles', label: 'viewPossible' },
];

const SOUND_KEY = 'relais.console.sound';

/** Three short beeps, made on the spot (no sound file to download). */
function beep(): void {
  try {
    const ctx = new AudioContext();
    [0, 0.25, 0.5].forEach((at) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.15;
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + at);
      osc.stop(ctx.currentTime + at + 0.15);
    });
    setTimeout(() => void ctx.close(), 1500);
  } catch {
    // No audio device: the red banner is still there.
  }
}

const NOTICE_KINDS = ['cyber_emergency', 'cyber_emergency_untaken', 'sla_breached', 'possible_cyber_emergency'] as const;

interface Notice extends StaffNotification {
  key: number;
}

/** Active cyber emergencies, kept live: the red banner and the count in the menu. */
function useActiveEmergencies(enabled: boolean): Ticket[] {
  const [items, setItems] = useState<Ticket[]>([]);
  const load = useCallback(async () => {
    if (!enabled) return;
    const res = await api.get<{ items: Ticket[] }>(`/tickets${query({ cyberEmergency: true, status: [...ACTIVE_STATUSES], limit: 50 })}`).catch(() => null);
    if (res) setItems(res.items);
  }, [enabled]);
  const reload = useMemo(() => debounce(() => void load(), 300), [load]);
  useEffect(() => void load(), [load]);
  useRealtime((m) => {
    if (m.type === 'hello' || (m.type === 'ticket.event' && (m.event.cyberEmergency || items.some((i) => i.id === m.event.ticketId))) || (m.type === 'notification' && m.notification.kind.startsWith('cyber'))) reload();
  });
  return items;
}

export function Layout({ children, area = 'console' }: { children: ReactNode; area?: 'console' | 'admin' }) {
  const t = useT();
  const lang = useLang();
  const L = useLabels();
  const { me, setMe, logout } = useSession();
  const { pathname, search } = useLocation();
  const link = useLinkState();
  const [navOpen, setNavOpen] = useState(false);
  const [help, setHelp] = useState(false);
  const [q, setQ] = useState(search.get('q') ?? '');
  const [notices, setNotices] = useState<Notice[]>([]);
  const [sound, setSound] = useState(() => localStorage.getItem(SOUND_KEY) === 'on');
  const searchRef = useRef<HTMLInputElement>(null);
  const seesEmergencies = can.seeEmergencies(me);
  const emergencies = useActiveEmergencies(can.work(me));
  const c = useChannelsT();
  const myCallbacks = useMyCallbackCount(area === 'console' && can.work(me));
  // Told of each possible emergency, they see how many wait for a decision.
  const possible = usePossibleEmergencyCount(area === 'console' && seesEmergencies);
  useFocusOnNavigate(pathname + search.toString());

  useEffect(() => setNavOpen(false), [pathname]);

  useRealtime((m) => {
    // Refresh signals are for the screens; calls have their own cards (IncomingCalls).
    if (m.type !== 'notification' || m.notification.quiet || m.notification.kind.startsWith('call.')) return;
    setNotices((list) => [{ ...m.notification, key: Date.now() + Math.random() }, ...list].slice(0, 5));
    if (sound && (m.notification.kind === 'cyber_emergency' || m.notification.kind === 'possible_cyber_emergency' || m.notification.kind === 'cyber_emergency_untaken')) beep();
  });

  useShortcuts({
    '?': () => setHelp(true),
    '/': () => searchRef.current?.focus(),
    a: () => can.work(me) && navigate('/console/appel'),
    ...Object.fromEntries(VIEWS.map((v, i) => [String(i + 1), () => navigate(`/console/vue/${v.slug}`)])),
  });

  const toggleAvailable = async (available: boolean) => {
    const updated = await api.patch<typeof me>('/me', { available }).catch(() => null);
    if (updated) setMe(updated);
  };
  const toggleSound = (on: boolean) => {
    setSound(on);
    localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
    if (on) beep();
  };

  const viewPath = (slug: string) => `/console/vue/${slug}`;
  const isActive = (path: string) => pathname === path || (path === viewPath('mes-demandes') && pathname === '/console');

  return (
    <AppShell header={{ height: 64 }} navbar={{ width: 250, breakpoint: 'md', collapsed: { mobile: !navOpen } }} padding="md">
      <a className="skip-link" href="#contenu">
        {t('skip')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpen} onClick={() => setNavOpen((o) => !o)} hiddenFrom="md" size="sm" aria-label={t('menu')} aria-expanded={navOpen} />
            <Link to={area === 'admin' ? '/admin' : '/console'} className="console-brand">
              {area === 'admin' ? t('adminSite') : t('consoleSite')}
            </Link>
          </Group>
          {area === 'console' && (
            <form
              role="search"
              className="console-search"
              onSubmit={(e) => {
                e.preventDefault();
                navigate(`/console/recherche${query({ q: q.trim() })}`);
              }}
            >
              <TextInput ref={searchRef} aria-label={t('searchLabel')} placeholder={t('searchPlaceholder')} value={q} onChange={(e) => setQ(e.currentTarget.value)} type="search" />
            </form>
          )}
          <Group gap="sm" wrap="nowrap">
            <Badge color={link === 'live' ? 'green' : link === 'down' ? 'red' : 'gray'} variant="light" visibleFrom="sm" role="status">
              {link === 'live' ? t('linkLive') : link === 'down' ? t('linkDown') : t('linkConnecting')}
            </Badge>
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton className="console-user">
                  <span className="visually-hidden">{t('userMenu')} </span>
                  <Text fw={700} size="sm" lh={1.2}>
                    {me.name}
                  </Text>
                  <Text size="xs" c="dimmed" lh={1.2}>
                    {L.role(me.role)}
                    {me.level ? ` · ${L.levelShort(me.level)}` : ''}
                  </Text>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item component={Link} to="/console/profil">
                  {t('profile')}
                </Menu.Item>
                {can.editKnowledge(me) && (
                  <Menu.Item component={Link} to={area === 'admin' ? '/console' : '/admin'}>
                    {area === 'admin' ? t('goConsole') : t('goAdmin')}
                  </Menu.Item>
                )}
                <Menu.Item onClick={() => setHelp(true)}>{t('kbTitle')}</Menu.Item>
                <Menu.Item onClick={() => setLang(lang === 'fr' ? 'en' : 'fr')} lang={lang === 'fr' ? 'en' : 'fr'}>
                  {lang === 'fr' ? 'English' : 'Français'}
                </Menu.Item>
                <Menu.Divider />
                <Menu.Item color="red" onClick={() => void logout()}>
                  {t('logout')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label={t('navLabel')} component="nav">
        <Stack gap={4}>
          {area === 'admin' ? (
            <AdminNav pathname={pathname} />
          ) : (
            <>
              {(me.role === 'technician' ? VIEWS.slice(0, 1) : VIEWS.filter((v) => v.slug !== 'urgences-possibles' || seesEmergencies)).map((v) => (
                <NavLink
                  key={v.slug}
                  component={Link}
                  to={viewPath(v.slug)}
                  label={v.slug === 'mon-niveau' ? (me.level ? t('viewLevelN', { level: me.level }) : t('viewAllActive')) : t(v.label)}
                  active={isActive(viewPath(v.slug))}
                  aria-current={isActive(viewPath(v.slug)) ? 'page' : undefined}
                  color={v.slug === 'urgences' ? 'red' : undefined}
                  rightSection={
                    v.slug === 'urgences' && emergencies.length > 0 ? (
                      <Badge color="red" variant="filled" size="sm" aria-label={t('emergencyCount', { n: emergencies.length })}>
                        {emergencies.length}
                      </Badge>
                    ) : v.slug === 'urgences-possibles' && possible.n > 0 ? (
                      <Badge color="red" variant="outline" size="sm" aria-label={t('possibleCount', { n: possible.n })}>
                        {possible.more ? `${possible.n}+` : possible.n}
                      </Badge>
                    ) : undefined
                  }
                />
              ))}
              {can.work(me) && (
                <NavLink component={Link} to="/console/appel" label={t('phoneIntake')} active={pathname === '/console/appel'} aria-current={pathname === '/console/appel' ? 'page' : undefined} mt="sm" variant="filled" />
              )}
              {can.work(me) && (
                <NavLink
                  component={Link}
                  to="/console/rappels"
                  label={c('callbacksNav')}
                  active={pathname === '/console/rappels'}
                  aria-current={pathname === '/console/rappels' ? 'page' : undefined}
                  rightSection={
                    myCallbacks > 0 ? (
                      <Badge variant="filled" size="sm" aria-label={c('callbacksDueCount', { n: myCallbacks })}>
                        {myCallbacks}
                      </Badge>
                    ) : undefined
                  }
                />
              )}
            </>
          )}
          <Stack gap="xs" mt="lg">
            <Switch label={t('available')} checked={me.available} onChange={(e) => void toggleAvailable(e.currentTarget.checked)} />
            {area === 'console' && <Switch label={t('soundAlerts')} checked={sound} onChange={(e) => toggleSound(e.currentTarget.checked)} />}
            <Button variant="subtle" size="compact-sm" onClick={() => setHelp(true)} justify="start">
              {t('kbTitle')} (?)
            </Button>
          </Stack>
        </Stack>
      </AppShell.Navbar>

      <AppShell.Main id="contenu" tabIndex={-1} className="console-main">
        {area === 'console' && can.work(me) && <IncomingCalls />}
        {area === 'console' && (
          <Stack gap="xs" mb={notices.length || (seesEmergencies && emergencies.length) ? 'md' : 0}>
            {seesEmergencies && emergencies.length > 0 && (
              <div className="emergency-banner" role="region" aria-label={t('emergencyBannerLabel')}>
                <strong>{t('emergencyBanner', { n: emergencies.length })}</strong>
                <ul>
                  {emergencies.slice(0, 3).map((e) => (
                    <li key={e.id}>
                      <Link to={`/console/demandes/${e.number}`}>
                        {e.number} — {e.subject}
                      </Link>
                      {e.assignee ? ` (${e.assignee.name})` : ` (${t('unassigned')})`}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <div aria-live="assertive" className="console-notices">
              {notices.map((n) => (
                <Alert
                  key={n.key}
                  color={n.kind.startsWith('cyber') ? 'red' : 'orange'}
                  variant={n.kind.startsWith('cyber') ? 'filled' : 'light'}
                  title={(NOTICE_KINDS as readonly string[]).includes(n.kind) ? t(`notice_${n.kind as (typeof NOTICE_KINDS)[number]}`) : t('noticeOther')}
                  withCloseButton={false}
                >
                  <Group justify="space-between" wrap="nowrap" align="center">
                    <Text size="sm">
                      {n.number ? <Link to={`/console/demandes/${n.number}`}>{n.title}</Link> : n.title}
                    </Text>
                    <CloseButton aria-label={t('dismiss')} onClick={() => setNotices((l) => l.filter((x) => x.key !== n.key))} />
                  </Group>
                </Alert>
              ))}
            </div>
          </Stack>
        )}
        {children}
      </AppShell.Main>
      <ShortcutsDialog opened={help} onClose={() => setHelp(false)} />
    </AppShell>
  );
}

function AdminNav({ pathname }: { pathname: string }) {
  const t = useT();
  const { me } = useSession();
  const settings: [string, 'adminStaff' | 'adminQueues' | 'adminHours' | 'adminSla' | 'adminInstructions' | 'adminTemplates' | 'adminChannels' | 'adminProcedures' | 'adminArticles'][] = [
    ['/admin/personnel', 'adminStaff'],
    ['/admin/files', 'adminQueues'],
    ['/admin/horaires', 'adminHours'],
    ['/admin/delais', 'adminSla'],
    ['/admin/premieres-consignes', 'adminInstructions'],
    ['/admin/messages', 'adminTemplates'],
    ['/admin/canaux', 'adminChannels'],
  ];
  const knowledge: typeof settings = [
    ['/admin/procedures', 'adminProcedures'],
    ['/admin/articles', 'adminArticles'],
  ];
  // Supervisors edit the knowledge only; their admin home is the procedures.
  const items = [...(can.administer(me) ? settings : []), ...(can.editKnowledge(me) ? knowledge : [])];
  const home = can.administer(me) ? '/admin/personnel' : '/admin/procedures';
  return (
    <>
      {items.map(([to, label]) => {
        const active = pathname === to || (to === home && pathname === '/admin') || (to === '/admin/procedures' && (pathname.startsWith('/admin/procedures/') || pathname === '/admin/nouvelle-procedure')) || (to === '/admin/articles' && (pathname.startsWith('/admin/articles/') || pathname === '/admin/nouvel-article')) || (to === '/admin/messages' && pathname.startsWith('/admin/messages/'));
        return <NavLink key={to} component={Link} to={to} label={t(label)} active={active} aria-current={active ? 'page' : undefined} />;
      })}
    </>
  );
}
